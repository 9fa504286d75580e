/* The fixture program: an address in data (p), a string, code, and a weak
 * undefined symbol whose address stays 0 when everything else moves. */
int x = 1;
int *p = &x;
static const char *msg = "hello";
extern int weak_undef __attribute__((weak));
int f(void) { return *p + msg[0] + K + (&weak_undef != 0); }
void _start(void) { f(); for (;;); }
