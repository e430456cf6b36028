// The shell around the chat core: accepts connections, reads and frames their bytes, hands the
// decoded messages to the core, encodes the core's answers once and queues them, writes what the
// sockets take, sweeps the timeouts, and shuts down cleanly on SIGINT/SIGTERM.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "server/chat_core.h"
#include "server/connection.h"
#include "server/event_loop.h"
#include "server/held_output.h"
#include "server/memory_trim.h"
#include "server/irc_render.h"
#include "server/irc_session.h"
#include "server/signals.h"
#include "server/timeouts.h"

namespace natter::server {

struct ServerConfig {
    std::size_t max_clients = 1000;
    std::size_t max_output_bytes = 1024 * 1024;
    Timeouts timeouts;
    CoreConfig core;
    FloodConfig flood;
    irc::Config irc;  // the IRC listener's server name, password, greeting
    // How long a closing connection may take to flush its last words, and how long shutdown may
    // take in all.
    Duration close_grace = std::chrono::seconds(2);
    Duration shutdown_grace = std::chrono::milliseconds(2500);
};

class Server {
public:
    // Takes ownership of listen_fd (listening, non-blocking) and of irc_listen_fd (the same, for
    // IRC clients; -1: none). `signals` must outlive the server.
    Server(ServerConfig config, int listen_fd, SignalPipe& signals, int irc_listen_fd = -1);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Serves until SIGINT/SIGTERM and the shutdown that follows; returns the exit status.
    int run();

private:
    // ---- event handlers ----
    void on_listener(int listen_fd, bool irc);
    void on_client(int fd, short revents);
    void on_signal_pipe();
    void before_sleep();
    void sweep();

    // ---- history ----
    // Whether output is held: a batch is open, or an earlier one is not on disk yet.
    bool batch_open() const;
    // Commits the batch and seals what was held for it (see held_output.h).
    void commit_batch();
    // Sends what was held for batches now on disk.
    void release_durable();
    // A delivery while output is held (see held_output.h).
    void hold(const Delivery& d);

    // ---- input ----
    void read_from(Connection& c);
    void handle_lines(Connection& c);
    // Flood control: true when the message may go on to the core; otherwise the client has been
    // told to slow down (or dropped, for persistent excess).
    bool admitted(Connection& c, const Message& m);
    bool admitted(Connection& c, FloodCost cost, const char* what);
    // IRC clients: lines through their session, its work through the core.
    void handle_irc_lines(Connection& c);
    void run_irc_work(Connection& c, irc::Work& work);
    void logged_in_check(Connection& c);

    // ---- output ----
    // Delivers everything the core produced, then the closes, then the disconnects that
    // delivering caused (clients over their output cap), until nothing is left.
    void settle();
    void deliver(const Delivery& d);
    // A delivery's shared IRC rendering, made once on the first recipient that needs it: plain,
    // and with a time tag for the clients that negotiated server-time.
    struct SharedIrc {
        Chunk plain;
        Chunk timed;
    };
    // One message to one IRC client: the shared rendering, its own, or nothing.
    void deliver_irc(Connection& c, const Message& m, SharedIrc& shared);
    // Mode changes to the IRC members of a room; several in a row from one MODE line (same
    // room, author and members) go as one line.
    void deliver_modes(const std::vector<ModeChange>& changes);
    // While an IRC line's steps run, its mode changes wait here (see run_irc_work).
    bool gathering_modes_ = false;
    std::vector<ModeChange> gathered_modes_;
    void flush_modes();
    // A message for one client, in its protocol (an error, a bye).
    Chunk encoded_for(Connection& c, const Message& m);
    void queue(Connection& c, const Chunk& chunk);
    void write_failed(Connection& c);

    // ---- closing ----
    // The shell's own decision to disconnect a client (peer gone, timeout, write error): the core
    // tells the others; `bye` (if any) is the client's last message.
    void drop(Connection& c, const std::string& reason, const char* bye);
    // Stop reading, flush what is queued (bounded by close_grace), then close.
    void begin_close(Connection& c, const std::string& reason);
    // Close at once: deregister now, destroy after the turn (close late).
    void finish_close(Connection& c);
    void reap();

    void refuse_connection(int fd, const std::string& why, bool irc);
    void pause_accepting(const std::string& why);
    void begin_shutdown();
    void schedule_sweep(TimePoint when);
    Connection* find(ClientId id);

    ServerConfig config_;
    EventLoop loop_;
    ChatCore core_;
    SignalPipe& signals_;
    int listen_fd_;
    int spare_fd_ = -1;        // kept open to be closed when out of descriptors (see on_listener)
    bool listener_paused_ = false;
    int irc_listen_fd_ = -1;
    irc::Directory irc_dir_;  // IRC users' idents
    std::unordered_map<ClientId, std::unique_ptr<irc::Session>> irc_sessions_;
    Chunk irc_ping_chunk_;

    std::vector<std::unique_ptr<Connection>> by_fd_;      // every live Connection object
    std::unordered_map<ClientId, Connection*> by_id_;      // those not yet finished
    std::size_t open_ = 0;                                 // descriptors held for clients
    ClientId next_id_ = 1;

    std::vector<Connection*> write_list_;  // queued output this turn: flushed before sleeping
    std::vector<Connection*> flushing_;    // the list being flushed (swapped with write_list_)
    // Finished: destroyed before sleeping, unless held output (see held_output.h) made before
    // the mark may still name them.
    std::vector<std::pair<int, std::uint64_t>> reap_;
    std::vector<std::pair<ClientId, std::string>> dropped_;  // over their cap: core not yet told
    Outputs out_;
    HeldOutput held_;                // while the store's batch is open
    ClientId delivering_durable_ = 0;  // the durable_for of the delivery being queued
    bool releasing_ = false;             // release_durable() is queueing: no holding
    std::vector<char> read_buf_;
    Chunk ping_chunk_;
    MemoryTrimmer trimmer_;  // gives memory back after bursts

    TimePoint last_sweep_;
    Duration sweep_gap_;
    bool shutting_down_ = false;
    TimePoint shutdown_by_;
};

}  // namespace natter::server
