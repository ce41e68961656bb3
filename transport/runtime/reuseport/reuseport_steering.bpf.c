// The kernel's half of worker steering: an SK_REUSEPORT program that picks,
// for each UDP datagram arriving at a SO_REUSEPORT group of N worker
// sockets, the socket of the worker that owns it. It implements exactly the
// rule of SteerDatagram (transport/routing/worker_steering.h, the user-space
// twin; reuseport_agreement_test feeds the same datagrams to both):
// 1. Find the DCID: long header => length at payload byte 5 (<= 20, all of
//    it present); short header => the cid_length bytes after byte 0.
//    Too short: unsteered.
// 2. A DCID of cid_length bytes whose top 3 bits are config_id names worker
//    dcid[server_id_length] & worker_mask; below worker_count => by CID.
// 3. Else a long header => FNV-1a-32(DCID) % worker_count.
// 4. Else unsteered: SK_PASS without selecting, so the kernel's own 4-tuple
//    hash picks (reuseport_select_sock falls back when nothing is selected).
// A failed bpf_sk_select_reuseport (an empty slot: the worker's socket is
// closed or not yet inserted) is treated as unsteered too, never as a drop.
//
// Where the bytes are: for an sk_reuseport program the context (struct
// sk_reuseport_md) describes the skb as UDP's lookup sees it, with data at
// the UDP header, not the payload (include/uapi/linux/bpf.h: "It begins
// from the tcp/udp header"; UDP's receive path has pulled the IP header but
// not the UDP one when it looks up the socket). `len` counts the UDP header
// too. So every bpf_skb_load_bytes offset below adds kUdpHeaderLength.
// bpf_skb_load_bytes rather than direct data/data_end access, because only
// the linear part of the skb is directly accessible.
//
// Plaintext QUIC-LB configs only: with an AES key the server ID is not
// readable here, and the loader refuses such a config.
//
// The config is read-only data the loader sets before loading (.rodata,
// frozen by libbpf): the verifier then sees the values as constants.

#include <linux/bpf.h>

// After <linux/bpf.h>: the helper declarations use its types.
#include <bpf/bpf_helpers.h>

#define kUdpHeaderLength 8
#define kLongHeaderBit 0x80
#define kLongHeaderDcidLengthOffset 5
#define kMaxDcidLength 20
// The sockarray's capacity: a worker is named by at most 8 bits (QuicLbConfig
// kMaxWorkerBits), so 256 worker sockets at most. The loader may shrink it.
#define kMaxWorkers 256
#define kFnvOffsetBasis 2166136261u
#define kFnvPrime 16777619u

// Set by the loader (ReuseportSteering::Attach) before the program loads.
// The defaults are p2pquic's default CID layout with one worker.
const volatile __u8 steering_config_id = 0;
const volatile __u32 steering_cid_length = 8;
const volatile __u32 steering_server_id_length = 2;
const volatile __u8 steering_worker_mask = 0xff;
const volatile __u32 steering_worker_count = 1;

// Key: worker index; value: that worker's socket (the loader inserts fds).
struct {
  __uint(type, BPF_MAP_TYPE_REUSEPORT_SOCKARRAY);
  __uint(max_entries, kMaxWorkers);
  __type(key, __u32);
  __type(value, __u64);
} worker_sockets SEC(".maps");

// Loads `length` (1..kMaxDcidLength) DCID bytes at payload offset `offset`
// into `dcid`. Returns 0 on success. The length is masked and bounded so
// the verifier can prove the write stays inside the buffer.
static __always_inline int LoadDcid(struct sk_reuseport_md* md, __u32 offset, __u8* dcid,
                                    __u32 length) {
  if (length == 0 || length > kMaxDcidLength) return -1;
  return bpf_skb_load_bytes(md, kUdpHeaderLength + offset, dcid, length & 0x1f);
}

// FNV-1a-32 over dcid[0..length): the same as SteeringHash. Fully unrolled
// over the maximum length so every stack read has a constant offset.
static __always_inline __u32 SteeringHash(const __u8* dcid, __u32 length) {
  __u32 hash = kFnvOffsetBasis;
#pragma clang loop unroll(full)
  for (__u32 i = 0; i < kMaxDcidLength; ++i) {
    if (i < length) {
      hash ^= dcid[i];
      hash *= kFnvPrime;
    }
  }
  return hash;
}

SEC("sk_reuseport")
int steer_by_cid(struct sk_reuseport_md* md) {
  const __u32 worker_count = steering_worker_count;
  const __u32 cid_length = steering_cid_length;
  const __u32 server_id_length = steering_server_id_length;
  if (md->len <= kUdpHeaderLength || worker_count == 0) return SK_PASS;
  const __u32 payload_length = md->len - kUdpHeaderLength;

  __u8 first = 0;
  if (bpf_skb_load_bytes(md, kUdpHeaderLength, &first, 1) != 0) return SK_PASS;
  const int long_header = (first & kLongHeaderBit) != 0;

  // Zeroed so that every byte of the buffer is initialised whatever length
  // the helper writes (the verifier insists before reads).
  __u8 dcid[kMaxDcidLength] = {0};
  __u32 dcid_length = 0;
  if (long_header) {
    if (payload_length <= kLongHeaderDcidLengthOffset) return SK_PASS;
    __u8 length_byte = 0;
    if (bpf_skb_load_bytes(md, kUdpHeaderLength + kLongHeaderDcidLengthOffset, &length_byte, 1) !=
        0) {
      return SK_PASS;
    }
    dcid_length = length_byte;
    if (dcid_length > kMaxDcidLength ||
        payload_length < kLongHeaderDcidLengthOffset + 1 + dcid_length) {
      return SK_PASS;
    }
    // A zero-length DCID hashes to the FNV offset basis, as in user space.
    if (dcid_length > 0 && LoadDcid(md, kLongHeaderDcidLengthOffset + 1, dcid, dcid_length) != 0) {
      return SK_PASS;
    }
  } else {
    if (cid_length == 0 || payload_length < 1 + cid_length) return SK_PASS;
    dcid_length = cid_length;
    if (LoadDcid(md, 1, dcid, dcid_length) != 0) return SK_PASS;
  }

  __u32 key = kMaxWorkers;
  if (dcid_length == cid_length && (dcid[0] >> 5) == steering_config_id &&
      server_id_length < kMaxDcidLength) {
    const __u32 worker = dcid[server_id_length] & steering_worker_mask;
    if (worker < worker_count) key = worker;
  }
  if (key == kMaxWorkers) {
    if (!long_header) return SK_PASS;  // Unsteered: the kernel's hash picks.
    key = SteeringHash(dcid, dcid_length) % worker_count;
  }
  // On failure nothing is selected and SK_PASS lets the kernel's hash pick:
  // a datagram is never dropped for want of a steering target.
  bpf_sk_select_reuseport(md, &worker_sockets, &key, 0);
  return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
