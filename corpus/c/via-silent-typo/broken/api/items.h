int count_items(int limit);
