#include <stdio.h>
#include <string.h>
#include "ringbuf.h"

#define CHECK(cond) do { if (!(cond)) { fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); return 1; } } while (0)

static int basics(void) {
    ringbuf rb;
    int value = 0;
    ringbuf_init(&rb);
    CHECK(ringbuf_pop(&rb, &value) == -1);
    CHECK(ringbuf_push(&rb, 7) == 0);
    CHECK(ringbuf_pop(&rb, &value) == 0 && value == 7);
    return 0;
}

static int wraparound(void) {
    ringbuf rb;
    int value = 0;
    ringbuf_init(&rb);
    for (int i = 0; i < 4; i++) CHECK(ringbuf_push(&rb, i) == 0);
    CHECK(ringbuf_push(&rb, 99) == -1);
    CHECK(ringbuf_pop(&rb, &value) == 0 && value == 0);
    CHECK(ringbuf_push(&rb, 4) == 0);
    for (int want = 1; want <= 4; want++) CHECK(ringbuf_pop(&rb, &value) == 0 && value == want);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    if (strcmp(argv[1], "basics") == 0) return basics();
    if (strcmp(argv[1], "wraparound") == 0) return wraparound();
    return 2;
}
