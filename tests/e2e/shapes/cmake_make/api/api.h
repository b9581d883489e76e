#ifdef __cplusplus
extern "C" {
#endif
int scale_value(int v);
int doubled(int v);
#ifdef __cplusplus
}
#endif
