int main(void) {
  return undefined_in_spaced_path;
}
