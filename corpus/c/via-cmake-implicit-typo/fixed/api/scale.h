int scale_value(int v);
