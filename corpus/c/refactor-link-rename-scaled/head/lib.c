int scale_value(int v) { return v > 100 ? 100 : v * 2; }
