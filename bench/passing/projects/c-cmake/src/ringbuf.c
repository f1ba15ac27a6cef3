#include "ringbuf.h"

void ringbuf_init(ringbuf *rb) {
    rb->head = 0;
    rb->count = 0;
}

int ringbuf_push(ringbuf *rb, int value) {
    if (rb->count == 4) {
        return -1;
    }
    rb->items[(rb->head + rb->count) % 4] = value;
    rb->count++;
    return 0;
}

int ringbuf_pop(ringbuf *rb, int *out) {
    if (rb->count == 0) {
        return -1;
    }
    *out = rb->items[rb->head];
    rb->head = (rb->head + 1) % 4;
    rb->count--;
    return 0;
}
