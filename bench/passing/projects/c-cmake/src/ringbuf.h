#ifndef RINGBUF_H
#define RINGBUF_H
#include <stddef.h>

typedef struct {
    int items[4];
    size_t head;
    size_t count;
} ringbuf;

void ringbuf_init(ringbuf *rb);
int ringbuf_push(ringbuf *rb, int value);
int ringbuf_pop(ringbuf *rb, int *out);
#endif
