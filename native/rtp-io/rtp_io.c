/*
 * Batched UDP I/O for RTP (Linux), as a Node-API addon; loaded by src/adapters/media/udp-batch.ts.
 *
 * Why: with node:dgram every datagram costs a Buffer, a MakeCallback and dgram's JS send path, which
 * at a few hundred calls is close to a third of the media thread. Here the addon owns the sockets
 * and polls them on Node's own event loop (one uv_poll per socket); a readable socket is drained
 * with recvmmsg into one shared receive buffer, and the whole batch goes to JavaScript in ONE call
 * per loop iteration (from a uv_check handle, i.e. right after the poll phase). Sends are written by
 * JavaScript into a shared send buffer and flushed with one call, sendmmsg per run of packets on
 * the same socket.
 *
 * Records in both buffers (native byte order, 4-byte aligned):
 *   u32 socket id | u32 IPv4 address (host order; 0 with port 0 = the connected peer) |
 *   u16 port | u16 length | payload, padded to 4
 * In a receive record the length's top bit (REC_RELAYED) says the packet was already relayed.
 *
 * No error here ever throws or aborts: a bad id, EMSGSIZE, ECONNREFUSED (ICMP port unreachable on a
 * connected socket) or a full socket buffer drops the packet, is counted, and send errors other than
 * a full buffer are reported back per packet (socket id, errno) for the socket's 'error' event.
 *
 * Single-threaded by design: state is global and bound to the first Node environment that calls
 * init() (the main thread); init() from another environment fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <node_api.h>
#include <uv.h>

#define SLOT_BITS 16
#define MAX_SLOTS (1u << SLOT_BITS)
#define SLOT_MASK (MAX_SLOTS - 1)
/* Datagrams taken per recvmmsg; fewer than this returned means the queue was empty. */
#define RECV_VLEN 16
/* Read at most this many rounds per readable event, so one flooded socket cannot starve others. */
#define RECV_ROUNDS 4
#define MAX_DGRAM 2048
#define REC_HEADER 12
#define SEND_VLEN 64

/*
 * Direct relay of a bridged call's audio: a socket with `target` set sends each received packet of
 * payload type `pt` on at once from C, before JavaScript sees the batch, rewritten into the target
 * leg's stream (its SSRC; sequence numbers and timestamps continuing where the target left off), as
 * rtpengine's in-kernel forwarding or Asterisk's native RTP bridge do. The packet still reaches
 * JavaScript (for the recording and DTMF), flagged as relayed. A relay latency bounded by the C
 * drain rather than by the JavaScript batch keeps a backlog after an event-loop stall short.
 */
typedef struct rtp_fwd {
  uint32_t target; /* socket id, 0 = off */
  uint32_t ssrc;
  uint8_t pt;
  uint8_t started;
  uint32_t in_ssrc;
  uint16_t seq_delta;
  uint32_t ts_delta;
  uint16_t next_seq; /* the target stream's next sequence number and timestamp */
  uint32_t next_ts;
} rtp_fwd;

typedef struct rtp_sock {
  uv_poll_t poll;
  int fd;
  uint32_t id;
  /* Connected to one peer: the kernel then drops other sources, so relaying cannot be injected. */
  uint8_t connected;
  rtp_fwd fwd;
} rtp_sock;

/* Marks a receive record's length: the packet was already relayed (see rtp_fwd). */
#define REC_RELAYED 0x8000

static napi_env g_env = NULL;
static napi_ref g_on_batch, g_recv_ref, g_send_ref, g_err_ref;
static napi_async_context g_async;
static uv_check_t g_check;

static uint8_t *g_recv;
static size_t g_recv_cap, g_recv_used;
static uint32_t g_recv_count;
static uint8_t *g_send;
static size_t g_send_cap;
static int32_t *g_err;
static size_t g_err_pairs;

/* Every socket is also in this epoll set, so pump() can read what arrived while JavaScript is busy
 * with a batch (see js_pump); g_in_batch is set while a batch is in JavaScript. */
static int g_epfd = -1;
static int g_in_batch;

static rtp_sock *g_slots[MAX_SLOTS];
static uint16_t g_gen[MAX_SLOTS];
static uint32_t g_free[MAX_SLOTS];
static uint32_t g_free_n;
static uint32_t g_next_slot = 1;
static uint32_t g_open;

static uint8_t g_scratch[RECV_VLEN][MAX_DGRAM];

/* Kernel receive times (SO_TIMESTAMPNS), for a measuring peer such as the bench's load generator: when
 * set, record i of a batch has in g_stamps[i] how many ms before the batch was handed to JavaScript
 * the kernel received it (−1 if unknown), so a late event loop does not count as network jitter. An
 * age rather than a time: JavaScript's clocks and the kernel's stamp clock need no common base. */
static double *g_stamps;
static size_t g_stamps_cap;
static napi_ref g_stamps_ref;
static uint8_t g_control[RECV_VLEN][CMSG_SPACE(sizeof(struct timespec))];

static struct {
  double batches, received, sent, relayed, recv_errors, send_errors, send_dropped, truncated, unknown_socket;
} g_stats;

/* ---- helpers ---------------------------------------------------------------------------- */

static rtp_sock *lookup(uint32_t id) {
  rtp_sock *s = g_slots[id & SLOT_MASK];
  return s != NULL && s->id == id ? s : NULL;
}

static napi_value num(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

static int args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "rtp_io: missing arguments");
    return 0;
  }
  return 1;
}

static uint32_t u32_arg(napi_env env, napi_value v) {
  uint32_t out = 0;
  napi_get_value_uint32(env, v, &out);
  return out;
}

static int32_t i32_arg(napi_env env, napi_value v) {
  int32_t out = 0;
  napi_get_value_int32(env, v, &out);
  return out;
}

static void *buffer_of(napi_env env, napi_value v, size_t *len, napi_ref *ref) {
  void *data = NULL;
  bool is_ab = false;
  if (napi_is_arraybuffer(env, v, &is_ab) != napi_ok || !is_ab) return NULL;
  if (napi_get_arraybuffer_info(env, v, &data, len) != napi_ok) return NULL;
  napi_create_reference(env, v, 1, ref);
  return data;
}

/* ---- receiving -------------------------------------------------------------------------- */

/* ms on CLOCK_REALTIME, the clock of the kernel's receive stamps. */
static double realtime_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The SCM_TIMESTAMPNS of a received message in ms (CLOCK_REALTIME), or −1 when the kernel gave none. */
static double stamp_of(struct msghdr *h) {
  for (struct cmsghdr *c = CMSG_FIRSTHDR(h); c != NULL; c = CMSG_NXTHDR(h, c)) {
    if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
      struct timespec ts;
      memcpy(&ts, CMSG_DATA(c), sizeof ts);
      return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
    }
  }
  return -1;
}

/* Hands the pending batch to JavaScript: onBatch(count, bytes). */
static void deliver(void) {
  if (g_recv_count == 0 || g_env == NULL || g_in_batch) return;
  napi_env env = g_env;
  uint32_t count = g_recv_count;
  double used = (double)g_recv_used;
  g_stats.batches++;
  if (g_stamps != NULL) {
    double now = realtime_ms();
    for (uint32_t i = 0; i < count && i < g_stamps_cap; i++)
      g_stamps[i] = g_stamps[i] < 0 ? -1 : now - g_stamps[i];
  }
  napi_handle_scope scope;
  if (napi_open_handle_scope(env, &scope) != napi_ok) return;
  napi_value fn, recv, argv[2], result;
  napi_get_reference_value(env, g_on_batch, &fn);
  napi_get_global(env, &recv); /* make_callback wants an object receiver */
  napi_create_uint32(env, count, &argv[0]);
  argv[1] = num(env, used);
  /* The buffer stays as it is while JavaScript reads it: pump() appends behind the batch. */
  g_in_batch = 1;
  napi_make_callback(env, g_async, recv, fn, 2, argv, &result);
  g_in_batch = 0;
  g_recv_count = 0;
  g_recv_used = 0;
  /* The adapter catches its handlers' errors; anything left is reported like any uncaught error
   * rather than left pending to surface in some later, unrelated call. */
  bool pending = false;
  napi_value err;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending &&
      napi_get_and_clear_last_exception(env, &err) == napi_ok)
    napi_fatal_exception(env, err);
  napi_close_handle_scope(env, scope);
}

static void on_check(uv_check_t *h) { deliver(); }


/* Rewrites a received packet in place into the target stream; 0 if it is not one to relay. */
static int relay(rtp_fwd *f, uint8_t *b, size_t len) {
  if (len < 12 || (b[0] >> 6) != 2 || (b[1] & 0x7f) != f->pt) return 0;
  uint16_t in_seq = (uint16_t)((b[2] << 8) | b[3]);
  uint32_t in_ts = ((uint32_t)b[4] << 24) | ((uint32_t)b[5] << 16) | ((uint32_t)b[6] << 8) | b[7];
  uint32_t in_ssrc = ((uint32_t)b[8] << 24) | ((uint32_t)b[9] << 16) | ((uint32_t)b[10] << 8) | b[11];
  if (!f->started || in_ssrc != f->in_ssrc) {
    /* The first packet, or a new source stream: continue the target stream where it stands. */
    f->started = 1;
    f->in_ssrc = in_ssrc;
    f->seq_delta = (uint16_t)(f->next_seq - in_seq);
    f->ts_delta = f->next_ts - in_ts;
  }
  uint16_t seq = (uint16_t)(in_seq + f->seq_delta);
  uint32_t ts = in_ts + f->ts_delta;
  b[2] = (uint8_t)(seq >> 8);
  b[3] = (uint8_t)seq;
  b[4] = (uint8_t)(ts >> 24);
  b[5] = (uint8_t)(ts >> 16);
  b[6] = (uint8_t)(ts >> 8);
  b[7] = (uint8_t)ts;
  b[8] = (uint8_t)(f->ssrc >> 24);
  b[9] = (uint8_t)(f->ssrc >> 16);
  b[10] = (uint8_t)(f->ssrc >> 8);
  b[11] = (uint8_t)f->ssrc;
  /* Where JavaScript resumes if the relay stops now: one 20 ms frame on (its own frame size). */
  if ((int16_t)(uint16_t)(seq - f->next_seq) >= 0) {
    f->next_seq = (uint16_t)(seq + 1);
    f->next_ts = ts + 160;
  }
  return 1;
}

static void send_relayed(rtp_sock *to, struct mmsghdr *out, int n) {
  int done = 0;
  while (done < n) {
    int r = sendmmsg(to->fd, out + done, (unsigned)(n - done), MSG_DONTWAIT | MSG_NOSIGNAL);
    if (r < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) g_stats.send_dropped++;
      else g_stats.send_errors++; /* e.g. ECONNREFUSED: the target's peer went away; RTP ignores it */
      done++;
    } else {
      g_stats.sent += r;
      g_stats.relayed += r;
      done += r;
    }
  }
}

/* Reads what is queued on a socket into the receive buffer, relaying as it goes (see rtp_fwd). */
static void read_socket(rtp_sock *s) {
  struct mmsghdr msgs[RECV_VLEN];
  struct iovec iov[RECV_VLEN];
  struct sockaddr_in from[RECV_VLEN];
  for (int round = 0; round < RECV_ROUNDS; round++) {
    if (g_recv_cap - g_recv_used < RECV_VLEN * (REC_HEADER + MAX_DGRAM)) {
      if (g_in_batch) return; /* pumping behind a batch: the rest waits for the next poll */
      deliver();
      if (s->fd < 0) return; /* closed by JavaScript meanwhile */
      if (g_recv_cap - g_recv_used < RECV_VLEN * (REC_HEADER + MAX_DGRAM)) return;
    }
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < RECV_VLEN; i++) {
      iov[i].iov_base = g_scratch[i];
      iov[i].iov_len = MAX_DGRAM;
      msgs[i].msg_hdr.msg_iov = &iov[i];
      msgs[i].msg_hdr.msg_iovlen = 1;
      msgs[i].msg_hdr.msg_name = &from[i];
      msgs[i].msg_hdr.msg_namelen = sizeof from[i];
      if (g_stamps != NULL) {
        msgs[i].msg_hdr.msg_control = g_control[i];
        msgs[i].msg_hdr.msg_controllen = sizeof g_control[i];
      }
    }
    int n = recvmmsg(s->fd, msgs, RECV_VLEN, MSG_DONTWAIT, NULL);
    if (n < 0) {
      if (errno == EINTR || errno == ECONNREFUSED) continue; /* the error is consumed; read on */
      if (errno != EAGAIN && errno != EWOULDBLOCK) g_stats.recv_errors++;
      return;
    }
    rtp_sock *to = s->fwd.target != 0 && s->connected ? lookup(s->fwd.target) : NULL;
    if (to != NULL && !to->connected) to = NULL;
    struct mmsghdr out[RECV_VLEN];
    struct iovec out_iov[RECV_VLEN];
    int relay_n = 0;
    for (int i = 0; i < n; i++) {
      size_t len = msgs[i].msg_len;
      if ((msgs[i].msg_hdr.msg_flags & MSG_TRUNC) || len > MAX_DGRAM) {
        g_stats.truncated++;
        continue;
      }
      uint8_t *rec = g_recv + g_recv_used;
      uint32_t addr = ntohl(from[i].sin_addr.s_addr);
      uint16_t port = ntohs(from[i].sin_port), len16 = (uint16_t)len;
      memcpy(rec + REC_HEADER, g_scratch[i], len);
      if (to != NULL && relay(&s->fwd, g_scratch[i], len)) {
        len16 |= REC_RELAYED;
        memset(&out[relay_n], 0, sizeof out[relay_n]);
        out_iov[relay_n].iov_base = g_scratch[i];
        out_iov[relay_n].iov_len = len;
        out[relay_n].msg_hdr.msg_iov = &out_iov[relay_n];
        out[relay_n].msg_hdr.msg_iovlen = 1;
        relay_n++;
      }
      memcpy(rec, &s->id, 4);
      memcpy(rec + 4, &addr, 4);
      memcpy(rec + 8, &port, 2);
      memcpy(rec + 10, &len16, 2);
      if (g_stamps != NULL && g_recv_count < g_stamps_cap) g_stamps[g_recv_count] = stamp_of(&msgs[i].msg_hdr);
      g_recv_used += REC_HEADER + ((len + 3) & ~(size_t)3);
      g_recv_count++;
      g_stats.received++;
    }
    if (relay_n > 0) send_relayed(to, out, relay_n);
    if (n < RECV_VLEN) return; /* drained: no extra syscall just to see EAGAIN */
  }
}

static void on_readable(uv_poll_t *h, int status, int events) {
  rtp_sock *s = (rtp_sock *)h;
  if (status < 0) {
    /* libuv reports a pending socket error (EPOLLERR, e.g. an ICMP port unreachable for a connected
     * socket) this way and stops the handle: clear the error, poll again, and read what is queued. */
    int err = 0;
    socklen_t len = sizeof err;
    if (s->fd < 0) return;
    getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err != ECONNREFUSED) g_stats.recv_errors++;
    if (uv_poll_start(&s->poll, UV_READABLE, on_readable) != 0) {
      g_stats.recv_errors++;
      return;
    }
  }
  read_socket(s);
}

static void free_sock(uv_handle_t *h) { free(h); }

/* ---- JavaScript API --------------------------------------------------------------------- */

/* init(recvBuffer, sendBuffer, errorBuffer, onBatch) → true once; false if already initialised (by
 * another thread, or a second copy of the adapter), whose caller then stays on node:dgram. */
static napi_value js_init(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (!args(env, info, 4, argv)) return NULL;
  napi_value out;
  if (g_env != NULL) {
    napi_get_boolean(env, false, &out);
    return out;
  }
  size_t err_len = 0;
  g_recv = buffer_of(env, argv[0], &g_recv_cap, &g_recv_ref);
  g_send = buffer_of(env, argv[1], &g_send_cap, &g_send_ref);
  g_err = buffer_of(env, argv[2], &err_len, &g_err_ref);
  if (g_recv == NULL || g_send == NULL || g_err == NULL || g_recv_cap < 2 * RECV_VLEN * (REC_HEADER + MAX_DGRAM)) {
    napi_throw_type_error(env, NULL, "rtp_io: init needs three ArrayBuffers (receive ≥ 64 KiB)");
    return NULL;
  }
  g_err_pairs = err_len / 8;
  napi_create_reference(env, argv[3], 1, &g_on_batch);
  napi_value name;
  napi_create_string_utf8(env, "hotline.rtp_io", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &g_async);
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  g_epfd = epoll_create1(EPOLL_CLOEXEC);
  uv_check_init(loop, &g_check);
  uv_check_start(&g_check, on_check);
  uv_unref((uv_handle_t *)&g_check);
  g_env = env;
  napi_get_boolean(env, true, &out);
  return out;
}

/* open(address u32, port, receiveBufferBytes) → socket id (> 0) or −errno. */
static napi_value js_open(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!args(env, info, 3, argv)) return NULL;
  if (g_env != env) return num(env, -EINVAL);
  uint32_t addr = u32_arg(env, argv[0]);
  uint32_t port = u32_arg(env, argv[1]);
  int32_t rcvbuf = i32_arg(env, argv[2]);
  if (port > 0xffff) return num(env, -EINVAL);
  if (g_free_n == 0 && g_next_slot >= MAX_SLOTS) return num(env, -EMFILE);
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return num(env, -errno);
  if (rcvbuf > 0) setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  if (g_stamps != NULL) {
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
  }
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(addr);
  sa.sin_port = htons((uint16_t)port);
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int e = errno;
    close(fd);
    return num(env, -e);
  }
  rtp_sock *s = calloc(1, sizeof *s);
  if (s == NULL) {
    close(fd);
    return num(env, -ENOMEM);
  }
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  int r = uv_poll_init_socket(loop, &s->poll, fd);
  if (r != 0) {
    close(fd);
    free(s);
    return num(env, r);
  }
  r = uv_poll_start(&s->poll, UV_READABLE, on_readable);
  if (r != 0) {
    close(fd);
    s->fd = -1;
    uv_close((uv_handle_t *)&s->poll, free_sock);
    return num(env, r);
  }
  uint32_t slot = g_free_n > 0 ? g_free[--g_free_n] : g_next_slot++;
  if (g_gen[slot] == 0) g_gen[slot] = 1;
  s->fd = fd;
  s->id = ((uint32_t)g_gen[slot] << SLOT_BITS) | slot;
  g_slots[slot] = s;
  if (g_epfd >= 0) {
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = s->id};
    epoll_ctl(g_epfd, EPOLL_CTL_ADD, fd, &ev);
  }
  g_open++;
  return num(env, s->id);
}

/* close(id): stops polling, closes the descriptor; a later record for the id is ignored. */
static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv)) return NULL;
  uint32_t id = u32_arg(env, argv[0]);
  rtp_sock *s = lookup(id);
  if (s == NULL) return NULL;
  uint32_t slot = id & SLOT_MASK;
  g_slots[slot] = NULL;
  g_gen[slot] = (uint16_t)(g_gen[slot] + 1) == 0 ? 1 : (uint16_t)(g_gen[slot] + 1);
  g_free[g_free_n++] = slot;
  g_open--;
  s->id = 0;
  uv_poll_stop(&s->poll);
  if (g_epfd >= 0) epoll_ctl(g_epfd, EPOLL_CTL_DEL, s->fd, NULL);
  close(s->fd);
  s->fd = -1;
  uv_close((uv_handle_t *)&s->poll, free_sock);
  return NULL;
}

/* localPort(id) → the bound port, or −errno. */
static napi_value js_local_port(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv)) return NULL;
  rtp_sock *s = lookup(u32_arg(env, argv[0]));
  if (s == NULL) return num(env, -EBADF);
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  if (getsockname(s->fd, (struct sockaddr *)&sa, &len) < 0) return num(env, -errno);
  return num(env, ntohs(sa.sin_port));
}

/* connect(id, address u32, port) → 0 or −errno; port 0 disconnects. */
static napi_value js_connect(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!args(env, info, 3, argv)) return NULL;
  rtp_sock *s = lookup(u32_arg(env, argv[0]));
  if (s == NULL) return num(env, -EBADF);
  uint32_t addr = u32_arg(env, argv[1]);
  uint32_t port = u32_arg(env, argv[2]);
  struct sockaddr_in sa;
  memset(&sa, 0, sizeof sa);
  if (port == 0) {
    sa.sin_family = AF_UNSPEC;
  } else {
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(addr);
    sa.sin_port = htons((uint16_t)port);
  }
  if (connect(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    int e = errno;
    s->connected = 0;
    return num(env, -e);
  }
  s->connected = port != 0;
  return num(env, 0);
}

static void note_send_error(uint32_t id, int err, uint32_t *errors) {
  if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS) {
    g_stats.send_dropped++; /* a full socket buffer: RTP drops rather than queues */
    return;
  }
  g_stats.send_errors++;
  if (*errors < g_err_pairs) {
    g_err[2 * *errors] = (int32_t)id;
    g_err[2 * *errors + 1] = err;
  }
  (*errors)++;
}

/* send(bytes) → number of per-packet errors (the first ones are in the error buffer). */
static napi_value js_send(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv)) return NULL;
  double used_d = 0;
  napi_get_value_double(env, argv[0], &used_d);
  size_t used = used_d > 0 && used_d <= (double)g_send_cap ? (size_t)used_d : 0;
  struct mmsghdr msgs[SEND_VLEN];
  struct iovec iov[SEND_VLEN];
  struct sockaddr_in to[SEND_VLEN];
  uint32_t errors = 0;
  size_t off = 0;
  while (off + REC_HEADER <= used) {
    uint32_t id;
    memcpy(&id, g_send + off, 4);
    rtp_sock *s = lookup(id);
    int k = 0;
    /* A run of records for the same socket, up to SEND_VLEN. */
    while (k < SEND_VLEN && off + REC_HEADER <= used) {
      uint32_t rid, addr;
      uint16_t port, len;
      memcpy(&rid, g_send + off, 4);
      if (rid != id) break;
      memcpy(&addr, g_send + off + 4, 4);
      memcpy(&port, g_send + off + 8, 2);
      memcpy(&len, g_send + off + 10, 2);
      if (off + REC_HEADER + len > used) {
        off = used; /* a torn record: stop */
        break;
      }
      memset(&msgs[k], 0, sizeof msgs[k]);
      iov[k].iov_base = g_send + off + REC_HEADER;
      iov[k].iov_len = len;
      msgs[k].msg_hdr.msg_iov = &iov[k];
      msgs[k].msg_hdr.msg_iovlen = 1;
      if (port != 0) {
        memset(&to[k], 0, sizeof to[k]);
        to[k].sin_family = AF_INET;
        to[k].sin_addr.s_addr = htonl(addr);
        to[k].sin_port = htons(port);
        msgs[k].msg_hdr.msg_name = &to[k];
        msgs[k].msg_hdr.msg_namelen = sizeof to[k];
      }
      off += REC_HEADER + (((size_t)len + 3) & ~(size_t)3);
      k++;
    }
    if (s == NULL) {
      g_stats.unknown_socket += k;
      continue;
    }
    int done = 0;
    while (done < k) {
      int r = sendmmsg(s->fd, msgs + done, (unsigned)(k - done), MSG_DONTWAIT | MSG_NOSIGNAL);
      if (r < 0) {
        if (errno == EINTR) continue;
        note_send_error(id, errno, &errors); /* the packet at `done` failed: drop it, send the rest */
        done++;
      } else {
        g_stats.sent += r;
        done += r;
      }
    }
  }
  return num(env, errors);
}

/* relay(id, targetId, ssrc, payloadType, nextSeq, nextTimestamp) → 0 or −errno: from now on the
 * socket's received packets of payloadType go straight on through the target (see rtp_fwd), while
 * both sockets are connected; targetId 0 stops. */
static napi_value js_relay(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!args(env, info, 6, argv)) return NULL;
  rtp_sock *s = lookup(u32_arg(env, argv[0]));
  if (s == NULL) return num(env, -EBADF);
  uint32_t target = u32_arg(env, argv[1]);
  if (target != 0 && (target == s->id || lookup(target) == NULL)) return num(env, -EINVAL);
  memset(&s->fwd, 0, sizeof s->fwd);
  s->fwd.target = target;
  s->fwd.ssrc = u32_arg(env, argv[2]);
  s->fwd.pt = (uint8_t)(u32_arg(env, argv[3]) & 0x7f);
  s->fwd.next_seq = (uint16_t)u32_arg(env, argv[4]);
  s->fwd.next_ts = u32_arg(env, argv[5]);
  return num(env, 0);
}

/* relayState(id) → [started (0/1), nextSeq, nextTimestamp] of the socket's relay, or null. */
static napi_value js_relay_state(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv)) return NULL;
  rtp_sock *s = lookup(u32_arg(env, argv[0]));
  napi_value out;
  if (s == NULL) {
    napi_get_null(env, &out);
    return out;
  }
  napi_create_array_with_length(env, 3, &out);
  napi_set_element(env, out, 0, num(env, s->fwd.started));
  napi_set_element(env, out, 1, num(env, s->fwd.next_seq));
  napi_set_element(env, out, 2, num(env, s->fwd.next_ts));
  return out;
}

/* pump() → bytes now in the receive buffer. Called by JavaScript while it works through a long
 * batch: reads (and relays) what arrived meanwhile and appends it behind the batch, so relayed audio
 * waits at most one slice of JavaScript, not the whole batch — after a stall the backlog would
 * otherwise hold every later packet back by as long as it takes JavaScript to work through it. Off
 * while receive timestamps are on (their ages are taken once per batch). */
static napi_value js_pump(napi_env env, napi_callback_info info) {
  if (g_in_batch && g_stamps == NULL && g_epfd >= 0) {
    struct epoll_event evs[64];
    int n = epoll_wait(g_epfd, evs, 64, 0);
    for (int i = 0; i < n; i++) {
      rtp_sock *s = lookup(evs[i].data.u32);
      if (s != NULL && s->fd >= 0) read_socket(s);
    }
  }
  return num(env, (double)g_recv_used);
}

/* receiveTimestamps(stampBuffer) → true: sockets opened from now on carry kernel receive times, one
 * Float64 per record of a batch (see g_stamps). For measuring tools; the softswitch does not use it. */
static napi_value js_receive_timestamps(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!args(env, info, 1, argv)) return NULL;
  napi_value out;
  size_t len = 0;
  if (g_env != env || g_stamps != NULL) {
    napi_get_boolean(env, false, &out);
    return out;
  }
  g_stamps = buffer_of(env, argv[0], &len, &g_stamps_ref);
  g_stamps_cap = g_stamps == NULL ? 0 : len / sizeof(double);
  napi_get_boolean(env, g_stamps != NULL, &out);
  return out;
}

/* setReceiveBufferSize(id, bytes) → 0 or −errno. */
static napi_value js_set_rcvbuf(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!args(env, info, 2, argv)) return NULL;
  rtp_sock *s = lookup(u32_arg(env, argv[0]));
  if (s == NULL) return num(env, -EBADF);
  int32_t bytes = i32_arg(env, argv[1]);
  if (setsockopt(s->fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes) < 0) return num(env, -errno);
  return num(env, 0);
}

static void set_num(napi_env env, napi_value obj, const char *key, double v) {
  napi_set_named_property(env, obj, key, num(env, v));
}

/* stats() → counters since load. */
static napi_value js_stats(napi_env env, napi_callback_info info) {
  napi_value out;
  napi_create_object(env, &out);
  set_num(env, out, "openSockets", g_open);
  set_num(env, out, "batches", g_stats.batches);
  set_num(env, out, "received", g_stats.received);
  set_num(env, out, "sent", g_stats.sent);
  set_num(env, out, "relayed", g_stats.relayed);
  set_num(env, out, "receiveErrors", g_stats.recv_errors);
  set_num(env, out, "sendErrors", g_stats.send_errors);
  set_num(env, out, "sendDropped", g_stats.send_dropped);
  set_num(env, out, "truncated", g_stats.truncated);
  set_num(env, out, "unknownSocket", g_stats.unknown_socket);
  return out;
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
  napi_property_descriptor props[] = {
      {"init", NULL, js_init, NULL, NULL, NULL, napi_default, NULL},
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
      {"localPort", NULL, js_local_port, NULL, NULL, NULL, napi_default, NULL},
      {"connect", NULL, js_connect, NULL, NULL, NULL, napi_default, NULL},
      {"send", NULL, js_send, NULL, NULL, NULL, napi_default, NULL},
      {"setReceiveBufferSize", NULL, js_set_rcvbuf, NULL, NULL, NULL, napi_default, NULL},
      {"receiveTimestamps", NULL, js_receive_timestamps, NULL, NULL, NULL, napi_default, NULL},
      {"relay", NULL, js_relay, NULL, NULL, NULL, napi_default, NULL},
      {"pump", NULL, js_pump, NULL, NULL, NULL, napi_default, NULL},
      {"relayState", NULL, js_relay_state, NULL, NULL, NULL, napi_default, NULL},
      {"stats", NULL, js_stats, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
