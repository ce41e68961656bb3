// ConnectionDriver: drives an Endpoint's connections: when each reads,
// writes and handles its timer, and when what it wrote is flushed. The
// Endpoint routes datagrams, accepts and dials; everything that happens to a
// connection after routing picked it goes through here.
//
// When it writes and flushes (a "service": one write pass, then the flush):
// - after a burst of datagrams (OnBurstEnd), once per connection that read
//   during it, in the order they first read: one ACK answers many packets;
// - after the connection's timer fired (HandleExpiry);
// - on the writable signal (OnWritable), for the connections that wanted to
//   write while the socket was full, oldest first, until it is full again;
// - on ServiceNow (the owner's Dial, Flush, Close, migration), unless the
//   connection is inside a call (below).
// Every write pass runs inside a ScopedFlush: its datagrams leave when the
// pass ends, and a pass nested in another (a delegate dialing from a
// callback) leaves with the outer one. A pass only runs while the sink is
// kWritable: while the socket is full ngtcp2 keeps what it would write
// (nothing is produced only to be held) and the connection waits for the
// writable signal.
//
// Re-entrancy it forbids: a connection inside Read, Write or HandleExpiry
// (Driven::call kInside) is never serviced again from a callback that call
// makes: ServiceNow and OnWritable skip it, because the call is always
// followed by a service of its own (the burst end after a Read, the pass
// itself for a Write, the service after HandleExpiry) that covers what the
// callback wanted to send.
//
// Timer ownership: the driver owns each connection's expiry timer. It arms
// it after every service at QuicConnection::Expiry, keeps it while that
// deadline stands, and cancels it in Forget, which the owner must call
// before it destroys the connection (and for every connection when it is
// destroyed itself).
//
// A connection that reached ConnectionState::kClosed after a service is
// handed to Owner::RemoveClosed, which destroys it; the driver touches it no
// more.
//
// Single-threaded. The clock, sink, stats and owner outlive the driver.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "transport/base/network_path.h"
#include "transport/quic/connection/quic_connection.h"
#include "transport/quic/endpoint/scoped_flush.h"
#include "transport/quic/endpoint/socket_sink.h"
#include "transport/routing/connection_id_registry.h"
#include "transport/runtime/clock.h"

namespace p2pquic {

struct EndpointStats;

class ConnectionDriver {
 public:
  // Whether a connection is inside one of its own calls (Read, Write,
  // HandleExpiry): then it must not be serviced from a callback.
  enum class Call : uint8_t { kOutside, kInside };
  // Whether a connection read during the current burst and awaits its
  // service at the burst end.
  enum class Burst : uint8_t { kUntouched, kRead };
  // Whether a connection wanted to write while the socket was full and is
  // queued for the writable signal.
  enum class Wait : uint8_t { kNone, kForWritable };

  // What the driver keeps per connection; the owner's per-connection record
  // derives from it (the three enums are independent: a connection queued for the
  // writable signal can read during a burst, and be inside a call meanwhile).
  class Driven {
   public:
    explicit Driven(ConnectionHandle handle) : handle_(handle) {}
    ConnectionHandle handle() const { return handle_; }

    // Set by the owner once created; the driver drives it only after.
    std::unique_ptr<QuicConnection> quic;

   protected:
    // The owner's record (which derives from Driven) names its connection by
    // this handle too.
    const ConnectionHandle handle_;

   private:
    friend class ConnectionDriver;
    TimerId timer_;
    Timestamp armed_ = Timestamp::max();
    Timestamp fired_at_ = Timestamp::min();  // When the timer last ran.
    Call call_ = Call::kOutside;
    Burst burst_ = Burst::kUntouched;
    Wait wait_ = Wait::kNone;
  };

  // The driver's view of the connections' owner (the Endpoint).
  class Owner {
   public:
    virtual ~Owner() = default;
    // The live connection's record, or null.
    virtual Driven* FindDriven(ConnectionHandle handle) = 0;
    // The connection is kClosed: remove and destroy it (calling Forget).
    virtual void RemoveClosed(ConnectionHandle handle) = 0;
  };

  // Counts connection_closes_resent into `stats`.
  ConnectionDriver(Clock& clock, SocketSink& sink, EndpointStats& stats, Owner& owner);
  ConnectionDriver(const ConnectionDriver&) = delete;
  ConnectionDriver& operator=(const ConnectionDriver&) = delete;

  // Hands the connection one datagram (marking it kInside meanwhile) and
  // queues its service for the burst end.
  ReadResult Read(Driven& driven, std::span<const uint8_t> payload, const NetworkPath& path);
  // One service now: write pass and flush (if the sink is writable), removal
  // if closed, else queue for the writable signal if blocked, and re-arm the
  // timer. The connection must be outside its calls.
  void Service(Driven& driven);
  // Service unless the connection is inside a call (whose own service then
  // covers this one).
  void ServiceNow(Driven& driven);
  // The end of a burst of datagrams: services every connection that read.
  void OnBurstEnd();
  // The socket's writable signal: sends what the sink holds, then services
  // the waiting connections, oldest first, until the socket fills up again.
  void OnWritable();
  // Cancels the connection's timer; call before destroying it.
  void Forget(Driven& driven);

 private:
  void ArmTimer(Driven& driven);
  void OnTimer(ConnectionHandle handle);
  void QueueForWritable(Driven& driven);

  Clock& clock_;
  SocketSink& sink_;
  EndpointStats& stats_;
  Owner& owner_;
  FlushNesting flush_nesting_ = FlushNesting::kNone;
  std::vector<ConnectionHandle> touched_;  // Read during this burst, not yet serviced.
  std::vector<ConnectionHandle> waiting_;  // Wanted to write while blocked, oldest first.
};

}  // namespace p2pquic
