int clamp_to(int v) { return v > 100 ? 100 : v * 2; }
