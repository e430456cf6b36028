#include "server/server.h"

#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "server/log.h"
#include "server/net.h"
#include "shared/codec.h"

namespace natter::server {

namespace {

constexpr std::size_t kReadBufferBytes = 64 * 1024;
// Connections accepted per readable listener event: many at once for a storm, while still
// letting the loop serve everyone else between batches.
constexpr int kAcceptBatch = 256;
// What a closing connection's peer may still have sent us that we read and discard before close.
constexpr std::size_t kDrainLimit = 256 * 1024;
constexpr const char* kPingToken = "natterd";
// Writes per history batch before it is committed early (normally: once per loop turn).
constexpr std::size_t kMaxBatchWrites = 512;

Millis now_ms() {
    return static_cast<Millis>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

Chunk encoded(const Message& m) { return std::make_shared<const std::string>(encode(m)); }

int open_spare() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

// Sweeps no more often than this: a quarter of the shortest timeout, between 10 ms and 1 s. With
// the default timeouts that is once a second at most; tests with 0.5 s timeouts get 125 ms.
Duration sweep_gap(const Timeouts& t) {
    Duration gap = std::min({t.login, t.ping_interval, t.ping_timeout}) / 4;
    return std::clamp<Duration>(gap, std::chrono::milliseconds(10), std::chrono::seconds(1));
}

}  // namespace

Server::Server(ServerConfig config, int listen_fd, SignalPipe& signals, int irc_listen_fd)
    : config_(std::move(config)),
      core_(config_.core),
      signals_(signals),
      listen_fd_(listen_fd),
      irc_listen_fd_(irc_listen_fd),
      read_buf_(kReadBufferBytes),
      ping_chunk_(encoded(Ping{kPingToken})),
      trimmer_([] { ::malloc_trim(0); }),
      last_sweep_(Clock::now()),
      sweep_gap_(sweep_gap(config_.timeouts)) {
    spare_fd_ = open_spare();
    loop_.add(listen_fd_, POLLIN, [this](short) { on_listener(listen_fd_, false); });
    if (irc_listen_fd_ >= 0) {
        irc_ping_chunk_ = std::make_shared<const std::string>(irc::ping_line(config_.irc));
        loop_.add(irc_listen_fd_, POLLIN, [this](short) { on_listener(irc_listen_fd_, true); });
    }
    loop_.add(signals_.read_fd(), POLLIN, [this](short) { on_signal_pipe(); });
    loop_.set_before_sleep([this] { before_sleep(); });
    // The history's syncs finish off the loop: each one may let held output go.
    if (config_.core.store != nullptr && config_.core.store->durability_fd() >= 0)
        loop_.add(config_.core.store->durability_fd(), POLLIN, [this](short) { release_durable(); });
}

Server::~Server() {
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (irc_listen_fd_ >= 0) ::close(irc_listen_fd_);
    if (spare_fd_ >= 0) ::close(spare_fd_);
}

int Server::run() {
    loop_.run();
    log_event(0, "stopped");
    return 0;
}

Connection* Server::find(ClientId id) {
    auto it = by_id_.find(id);
    return it == by_id_.end() ? nullptr : it->second;
}

void Server::schedule_sweep(TimePoint when) {
    when = std::max(when, last_sweep_ + sweep_gap_);
    const auto current = loop_.timer();
    if (!current || when < *current) loop_.set_timer(when, [this] { sweep(); });
}

// ---- accepting ---------------------------------------------------------------------------------

void Server::on_listener(int listen_fd, bool irc) {
    for (int i = 0; i < kAcceptBatch; ++i) {
        const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) return;
            if (errno == EMFILE || errno == ENFILE) {
                // Out of descriptors: a pending connection would keep the listener readable and
                // poll() spinning. Give up the spare descriptor, take the connection with it,
                // refuse it with a line, and take the spare back.
                const char* what = errno == EMFILE ? "EMFILE" : "ENFILE";
                if (spare_fd_ >= 0) {
                    ::close(spare_fd_);
                    spare_fd_ = -1;
                    const int victim = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                    const int accept_errno = errno;
                    if (victim >= 0)
                        refuse_connection(victim, std::string("the server is out of file descriptors (") + what + ")", irc);
                    spare_fd_ = open_spare();
                    if (victim >= 0) continue;
                    // accept() reports EMFILE before it looks at the queue: nobody was waiting.
                    if (accept_errno == EAGAIN || accept_errno == EWOULDBLOCK) return;
                }
                // Not even that worked: stop listening for a moment instead of spinning.
                pause_accepting(std::string("out of file descriptors (") + what + ")");
                return;
            }
            // Anything else (ENOBUFS, ENOMEM...) may well persist: the same pause.
            pause_accepting(std::string("accept failed: ") + std::strerror(errno));
            return;
        }
        if (shutting_down_) {
            ::close(fd);
            continue;
        }
        if (open_ >= config_.max_clients) {
            refuse_connection(fd, "the server is full (" + std::to_string(config_.max_clients) + " clients)", irc);
            continue;
        }
        // natterd already coalesces each turn's output into one write per client; Nagle would
        // only hold the last small line back for a delayed ACK.
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const ClientId id = next_id_++;
        const TimePoint now = Clock::now();
        if (static_cast<std::size_t>(fd) >= by_fd_.size()) by_fd_.resize(static_cast<std::size_t>(fd) + 1);
        by_fd_[static_cast<std::size_t>(fd)] = std::make_unique<Connection>(fd, id, now, config_.max_output_bytes);
        Connection* c = by_fd_[static_cast<std::size_t>(fd)].get();
        by_id_.emplace(id, c);
        ++open_;
        if (irc) {
            auto session = std::make_unique<irc::Session>(config_.irc, id);
            c->irc = session.get();
            irc_sessions_.emplace(id, std::move(session));
        }
        core_.connect(id, now_ms(), !irc);
        loop_.add(fd, POLLIN, [this, fd](short revents) { on_client(fd, revents); });
        log_event(id, std::string(irc ? "IRC client connected from " : "connected from ") + peer_address(fd));
        schedule_sweep(now + config_.timeouts.login);
    }
}

void Server::pause_accepting(const std::string& why) {
    log_event(0, why + "; not accepting for a moment");
    listener_paused_ = true;
    loop_.set_events(listen_fd_, 0);
    if (irc_listen_fd_ >= 0) loop_.set_events(irc_listen_fd_, 0);
    // The sweep listens again (at most a second from now).
    schedule_sweep(Clock::now() + std::chrono::milliseconds(100));
}

void Server::refuse_connection(int fd, const std::string& why, bool irc) {
    log_event(0, "refused a connection from " + peer_address(fd) + ": " + why);
    const std::string line = irc ? irc::error_line(why + "; try again later")
                                 : encode(Error{err::kServerFull, why + "; try again later"});
    // Best effort and never blocking: a fresh socket's buffer always has room for one line.
    (void)!::send(fd, line.data(), line.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    char scratch[4096];
    while (::recv(fd, scratch, sizeof scratch, MSG_DONTWAIT) > 0) {
    }
    ::close(fd);
}

// ---- reading -----------------------------------------------------------------------------------

void Server::on_client(int fd, short revents) {
    Connection* c = by_fd_[static_cast<std::size_t>(fd)].get();
    if (c == nullptr) return;
    if (c->phase == Phase::Closing) {
        // Only flushing its last words now.
        switch (c->flush()) {
        case Connection::Flushed::Empty:
            finish_close(*c);
            break;
        case Connection::Flushed::Failed:
            write_failed(*c);
            break;
        case Connection::Flushed::Pending:
            if (revents & (POLLERR | POLLHUP)) finish_close(*c);
            break;
        }
        return;
    }
    if (revents & POLLOUT) {
        switch (c->flush()) {
        case Connection::Flushed::Empty:
            loop_.set_events(fd, POLLIN);
            break;
        case Connection::Flushed::Pending:
            break;
        case Connection::Flushed::Failed:
            write_failed(*c);
            break;
        }
    }
    if (c->phase != Phase::Closing && (revents & (POLLIN | POLLHUP | POLLERR))) read_from(*c);
    settle();
}

void Server::read_from(Connection& c) {
    std::size_t got = 0;
    switch (c.read(read_buf_.data(), read_buf_.size(), got)) {
    case Connection::ReadStatus::Again:
        return;
    case Connection::ReadStatus::Eof:
        drop(c, "connection closed", nullptr);
        return;
    case Connection::ReadStatus::Failed:
        drop(c, std::string("read failed: ") + std::strerror(c.last_errno()), nullptr);
        return;
    case Connection::ReadStatus::Data:
        break;
    }
    c.times.last_input = Clock::now();
    c.times.ping_sent.reset();
    if (c.irc != nullptr) {
        c.irc->framer().feed(std::string_view(read_buf_.data(), got));
        handle_irc_lines(c);
        c.irc->framer().release_if_empty();
        return;
    }
    c.framer().feed(std::string_view(read_buf_.data(), got));
    handle_lines(c);
    // An idle client should not keep a 64 KiB buffer from its last burst.
    c.framer().release_if_empty();
}

void Server::handle_lines(Connection& c) {
    const ClientId id = c.id();
    std::string_view line;
    for (;;) {
        const auto status = c.framer().next(line);
        if (status == LineFramer::Status::NeedMore) return;
        const Millis now = now_ms();
        if (status == LineFramer::Status::TooLong) {
            core_.line_too_long(id, now, out_);
        } else {
            Decoded d = decode_line(line, Direction::ClientToServer);
            if (auto* e = std::get_if<DecodeError>(&d)) core_.bad_line(id, *e, now, out_);
            else if (admitted(c, std::get<Message>(d))) core_.handle(id, std::get<Message>(d), now, out_);
        }
        logged_in_check(c);
        settle();
        if (c.phase == Phase::Closing) return;
    }
}

void Server::logged_in_check(Connection& c) {
    if (c.phase == Phase::AwaitingHello && core_.logged_in(c.id())) {
        c.phase = Phase::LoggedIn;
        // Its next deadline is now the idle ping, which may come before any the timer knows.
        schedule_sweep(c.times.last_input + config_.timeouts.ping_interval);
    }
}

void Server::handle_irc_lines(Connection& c) {
    irc::Session& s = *c.irc;
    std::string_view line;
    for (;;) {
        const auto status = s.framer().next(line);
        if (status == irc::Framer::Status::NeedMore) return;
        irc::Work work = status == irc::Framer::Status::TooLong ? s.on_too_long() : s.on_line(line, core_, irc_dir_, now_ms());
        if (admitted(c, work.cost, "an IRC line")) run_irc_work(c, work);
        logged_in_check(c);
        settle();
        if (c.phase == Phase::Closing) return;
    }
}

// Each step's replies go out first, then its message goes to the core with the step's context
// set, and the core's answers are delivered (and so rendered) before the context changes.
// The mode changes of one line are gathered and sent after its last step: "MODE #room +int" is
// one MODE line for the members, as IRC servers send it.
void Server::run_irc_work(Connection& c, irc::Work& work) {
    irc::Session& s = *c.irc;
    gathering_modes_ = true;
    struct Flush {
        Server& server;
        ~Flush() { server.flush_modes(); }
    } flush{*this};
    for (irc::Step& step : work.steps) {
        if (!step.reply.empty()) queue(c, std::make_shared<const std::string>(std::move(step.reply)));
        if (step.message || step.call) {
            s.set_context(std::move(step.context));
            if (step.message) core_.handle(c.id(), *step.message, now_ms(), out_);
            else irc::apply(core_, c.id(), *step.call, now_ms(), out_);
            settle();
            s.clear_context();
        }
        if (c.phase == Phase::Closing) return;
    }
    if (!work.close.empty()) drop(c, work.close, nullptr);
}

bool Server::admitted(Connection& c, const Message& m) { return admitted(c, message_cost(m), type_name(m)); }

bool Server::admitted(Connection& c, FloodCost cost, const char* what) {
    if (!config_.flood.enabled) return true;
    // The time of the read that brought the line: close enough, and no clock call per line.
    const FloodDecision d = admit(c.flood, cost, c.times.last_input, config_.flood);
    switch (d.verdict) {
    case FloodVerdict::Pass:
        return true;
    case FloodVerdict::SlowDown:
        if (d.refusals == 1) log_event(c.id(), std::string("flood: dropping \"") + what + "\", slow down");
        queue(c, encoded_for(c, Error{err::kSlowDown, slow_down_text(d, config_.flood)}));
        return false;
    case FloodVerdict::Disconnect:
        queue(c, encoded_for(c, Error{err::kSlowDown, flood_disconnect_text(d, config_.flood)}));
        drop(c, "flooding", "flooding");
        return false;
    }
    return false;
}

// ---- writing -----------------------------------------------------------------------------------

void Server::settle() {
    for (;;) {
        for (const Note& n : out_.notes) log_event(n.id, n.text);
        for (const Delivery& d : out_.deliveries) deliver(d);
        if (gathering_modes_) gathered_modes_.insert(gathered_modes_.end(), out_.mode_changes.begin(), out_.mode_changes.end());
        else deliver_modes(out_.mode_changes);
        for (const CloseAction& a : out_.closes)
            if (Connection* c = find(a.id)) begin_close(*c, a.reason);
        out_.clear();
        // A bounded batch: its transaction and what it holds back stay small under a flood.
        if (config_.core.store != nullptr && config_.core.store->pending() >= kMaxBatchWrites) commit_batch();
        if (dropped_.empty()) return;
        // Clients dropped for their output cap while delivering: now the others hear of it.
        auto dropped = std::move(dropped_);
        dropped_.clear();
        const Millis now = now_ms();
        for (const auto& [id, reason] : dropped) core_.disconnect(id, reason, now, out_);
    }
}

void Server::deliver(const Delivery& d) {
    if (batch_open()) {
        hold(d);
        return;
    }
    delivering_durable_ = d.durable_for;  // held entries remember what they carry
    Chunk chunk;      // encoded once, on the first live natter recipient
    SharedIrc irc;    // the same for IRC recipients, where their form is shared
    for (ClientId id : d.to) {
        Connection* c = find(id);
        if (c == nullptr || c->phase == Phase::Closing) continue;
        if (c->irc != nullptr) {
            deliver_irc(*c, d.msg, irc);
            continue;
        }
        if (!chunk) chunk = encoded(d.msg);
        queue(*c, chunk);
    }
    delivering_durable_ = 0;
}

void Server::deliver_irc(Connection& c, const Message& m, SharedIrc& shared) {
    irc::Session& s = *c.irc;
    switch (s.view(m)) {
    case irc::View::Skip:
        break;
    case irc::View::Shared:
        if (!shared.plain) shared.plain = std::make_shared<const std::string>(irc::render_shared(m, irc_dir_, config_.irc));
        if (!s.caps().server_time) {
            queue(c, shared.plain);
            break;
        }
        if (!shared.timed) {
            const std::uint64_t ts = irc::message_time(m);
            shared.timed = std::make_shared<const std::string>(
                irc::with_time_tag(*shared.plain, ts != 0 ? ts : static_cast<std::uint64_t>(now_ms())));
        }
        queue(c, shared.timed);
        break;
    case irc::View::Own: {
        // Empty when there is nothing to say (an error to a NOTICE).
        std::string lines = s.render(m, core_, irc_dir_);
        if (!lines.empty()) queue(c, std::make_shared<const std::string>(std::move(lines)));
        break;
    }
    }
    // After rendering: a rename moves the directory entry the shared rendering still needed.
    s.observe(m, irc_dir_);
}

void Server::flush_modes() {
    gathering_modes_ = false;
    std::vector<ModeChange> changes = std::move(gathered_modes_);
    gathered_modes_.clear();
    deliver_modes(changes);
}

// IRC members get one MODE line for the changes one request made together; natter members get
// a "mode" message for each change.
void Server::deliver_modes(const std::vector<ModeChange>& changes) {
    for (std::size_t first = 0; first < changes.size();) {
        const ModeChange& m = changes[first];
        std::size_t end = first + 1;
        while (end < changes.size() && changes[end].room == m.room && changes[end].by == m.by && changes[end].to == m.to)
            ++end;
        const std::vector<ModeChange> line(changes.begin() + static_cast<std::ptrdiff_t>(first),
                                           changes.begin() + static_cast<std::ptrdiff_t>(end));
        first = end;
        Chunk chunk;
        Chunk timed;  // for the clients that negotiated server-time
        for (ClientId id : m.to) {
            Connection* c = find(id);
            if (c == nullptr || c->irc == nullptr || c->phase == Phase::Closing) continue;
            if (!chunk) chunk = std::make_shared<const std::string>(irc::mode_line(line, irc_dir_));
            if (c->irc->caps().server_time) {
                if (!timed) timed = std::make_shared<const std::string>(irc::with_time_tag(*chunk, static_cast<std::uint64_t>(now_ms())));
                queue(*c, timed);
                continue;
            }
            queue(*c, chunk);
        }
        for (const ModeChange& change : line) {
            Chunk natter;
            for (ClientId id : change.to) {
                Connection* c = find(id);
                if (c == nullptr || c->irc != nullptr || c->phase == Phase::Closing) continue;
                if (!natter)
                    natter = encoded(ModeChanged{now_ms(), change.room, change.by,
                                                 std::string(change.on ? "+" : "-") + change.mode, change.nick});
                queue(*c, natter);
            }
        }
    }
}

Chunk Server::encoded_for(Connection& c, const Message& m) {
    if (c.irc == nullptr) return encoded(m);
    return std::make_shared<const std::string>(c.irc->render(m, core_, irc_dir_));
}

void Server::queue(Connection& c, const Chunk& chunk) {
    if (c.phase == Phase::Closing) return;
    if (batch_open()) {
        held_.chunk(&c, chunk, delivering_durable_ != 0, delivering_durable_ == c.id());
        return;
    }
    if (c.enqueue(chunk) == Connection::Queued::OverCap) {
        const std::string reason = "output queue over " + std::to_string(c.max_output_bytes() / 1024) + " KiB";
        trimmer_.freed(c.queued_bytes());
        c.discard_output();
        c.phase = Phase::Closing;
        c.close_reason = reason;
        log_event(c.id(), "dropped: " + reason);
        finish_close(c);
        dropped_.emplace_back(c.id(), reason);
        return;
    }
    trimmer_.queued(chunk->size());
    if (!c.in_write_list) {
        c.in_write_list = true;
        write_list_.push_back(&c);
    }
}

void Server::before_sleep() {
    commit_batch();
    release_durable();
    // Everything queued this turn goes out now, coalesced into as few writes as possible; only
    // what the kernel would not take waits for POLLOUT. Dropping a client whose write failed
    // queues its leave notice for the others, so go round until nothing new was queued.
    while (!write_list_.empty()) {
        flushing_.swap(write_list_);
        for (Connection* cp : flushing_) {
            Connection& c = *cp;
            c.in_write_list = false;
            if (!loop_.has(c.fd())) continue;  // finished this turn; reaped below
            switch (c.flush()) {
            case Connection::Flushed::Empty:
                if (c.phase == Phase::Closing) finish_close(c);
                else loop_.set_events(c.fd(), POLLIN);
                break;
            case Connection::Flushed::Pending:
                loop_.set_events(c.fd(), c.phase == Phase::Closing ? POLLOUT : POLLIN | POLLOUT);
                break;
            case Connection::Flushed::Failed:
                write_failed(c);
                break;
            }
        }
        flushing_.clear();
        settle();
    }
    reap();
    if (shutting_down_ && open_ == 0) loop_.stop();
    // After a burst, give memory back. Not by waking up for it: a burst that ends on a busy turn
    // is trimmed at the next turn anything happens (a wake-up polls every descriptor: 8 ms at
    // 10,000 clients, more than the trim saves while idle).
    trimmer_.end_of_turn(Clock::now());
}

void Server::write_failed(Connection& c) {
    // The peer is gone: nothing queued can be delivered any more.
    c.discard_output();
    if (c.phase == Phase::Closing) finish_close(c);
    else drop(c, std::string("write failed: ") + std::strerror(c.last_errno()), nullptr);
}

// ---- history -----------------------------------------------------------------------------------

bool Server::batch_open() const {
    // Also while earlier batches wait for the disk: what comes after them waits behind them.
    return !releasing_ && config_.core.store != nullptr &&
           (config_.core.store->pending() > 0 || !held_.empty());
}

void Server::commit_batch() {
    RoomStore* store = config_.core.store;
    if (store == nullptr) return;
    if (store->pending() == 0) {
        // Nothing stored since the last commit: what was held meanwhile only keeps its place.
        held_.seal(0, false);
        return;
    }
    const std::uint64_t batch = store->commit();
    if (batch == 0)
        log_event(0, "history: could not store a batch (" + store->last_error() +
                         "); its messages were not sent, their authors were told");
    held_.seal(batch, batch == 0);
}

void Server::hold(const Delivery& d) {
    // natter clients are held by id, with the bytes encoded once now, and looked up only on
    // release. IRC clients get their rendering now, in the context of the request that caused it.
    std::vector<ClientId> natter;
    natter.reserve(d.to.size());
    SharedIrc irc;
    delivering_durable_ = d.durable_for;
    for (ClientId id : d.to) {
        if (irc_sessions_.empty() || irc_sessions_.count(id) == 0) {
            natter.push_back(id);
            continue;
        }
        Connection* c = find(id);
        if (c != nullptr && c->phase != Phase::Closing) deliver_irc(*c, d.msg, irc);
    }
    delivering_durable_ = 0;
    if (!natter.empty()) held_.broadcast(std::move(natter), encoded(d.msg), d.durable_for);
}

void Server::release_durable() {
    RoomStore* store = config_.core.store;
    if (store == nullptr) return;
    const RoomStore::Durability d = store->durability();  // also drains its notifications
    if (!d.failed.empty())
        log_event(0, "history: could not store " + std::to_string(d.failed.size()) + " batch(es) (" + d.error +
                         "); what they stored was not sent, their authors were told");
    for (std::uint64_t batch : d.failed) held_.lost(batch);
    if (held_.empty()) return;
    // Connections closed meanwhile are still alive (destroyed at the end of the turn): queue()
    // and begin_close() skip the closing ones. What is released goes straight to its queue,
    // ahead of anything still held.
    releasing_ = true;
    for (const HeldOutput::Entry& e : held_.release(d.durable)) {
        switch (e.kind) {
        case HeldOutput::Entry::Kind::Chunk:
            for (Connection* c : e.to) queue(*c, e.chunk);
            break;
        case HeldOutput::Entry::Kind::Broadcast:
            for (ClientId id : e.ids)
                if (Connection* c = find(id)) queue(*c, e.chunk);
            break;
        case HeldOutput::Entry::Kind::NotStored: {
            Connection* c = e.to.empty() ? find(e.ids.at(0)) : e.to[0];
            if (c != nullptr)
                queue(*c, encoded_for(*c, Error{err::kNotStored,
                                                "the server could not store what you sent, so nobody received "
                                                "it (is its disk full?); try again later"}));
            break;
        }
        case HeldOutput::Entry::Kind::Close:
            begin_close(*e.to[0], e.reason);
            break;
        }
    }
    releasing_ = false;
    settle();
}

// ---- closing -----------------------------------------------------------------------------------

void Server::drop(Connection& c, const std::string& reason, const char* bye) {
    if (c.phase == Phase::Closing) return;
    core_.disconnect(c.id(), reason, now_ms(), out_);
    if (bye != nullptr) queue(c, encoded_for(c, Bye{bye}));
    begin_close(c, reason);
}

void Server::begin_close(Connection& c, const std::string& reason) {
    if (c.phase == Phase::Closing) return;
    if (batch_open()) {
        // Its last words are held too: close after them.
        held_.close(&c, reason);
        return;
    }
    c.phase = Phase::Closing;
    c.close_reason = reason;
    if (!c.has_output()) {
        finish_close(c);
        return;
    }
    const TimePoint now = Clock::now();
    c.times.close_by = now + config_.close_grace;
    // No more reading: only the last words go out (flushed before sleeping, then on POLLOUT).
    loop_.set_events(c.fd(), POLLOUT);
    if (!c.in_write_list) {
        c.in_write_list = true;
        write_list_.push_back(&c);
    }
    schedule_sweep(c.times.close_by);
}

void Server::finish_close(Connection& c) {
    const int fd = c.fd();
    if (!loop_.has(fd)) return;  // already finished
    // Whatever the peer sent and we never read would make close() send a reset, and a reset can
    // destroy our last message before the peer reads it: read it away first.
    c.drain_input(read_buf_.data(), read_buf_.size(), kDrainLimit);
    loop_.remove(fd);
    by_id_.erase(c.id());
    log_event(c.id(), "closed: " + (c.close_reason.empty() ? std::string("closed") : c.close_reason));
    // Destroyed at the end of the turn, or later if output held for it may still name it.
    reap_.push_back({fd, held_.mark()});
}

void Server::reap() {
    std::size_t kept = 0;
    for (const auto& [fd, mark] : reap_) {
        if (held_.holds_since(mark)) {
            reap_[kept++] = {fd, mark};
            continue;
        }
        auto& conn = by_fd_[static_cast<std::size_t>(fd)];
        if (conn->irc != nullptr) {
            // Its quit has been rendered by now: the ident can go.
            irc_dir_.remove(conn->irc->nick(), conn->id());
            irc_sessions_.erase(conn->id());
        }
        conn.reset();  // closes the descriptor
        --open_;
    }
    reap_.resize(kept);
}

// ---- time --------------------------------------------------------------------------------------

void Server::sweep() {
    const TimePoint now = Clock::now();
    last_sweep_ = now;
    if (listener_paused_ && !shutting_down_) {
        if (spare_fd_ < 0) spare_fd_ = open_spare();
        listener_paused_ = false;
        loop_.set_events(listen_fd_, POLLIN);
        if (irc_listen_fd_ >= 0) loop_.set_events(irc_listen_fd_, POLLIN);
    }
    if (shutting_down_ && now >= shutdown_by_) {
        log_event(0, "shutdown: gave up flushing to " + std::to_string(by_id_.size()) + " clients");
        loop_.stop();
        return;
    }

    struct Action {
        Connection* c;
        Verdict v;
    };
    std::vector<Action> actions;
    TimePoint next = TimePoint::max();
    for (const auto& [id, c] : by_id_) {
        const Verdict v = check_timeouts(c->phase, c->times, now, config_.timeouts);
        if (v.kind != Verdict::Kind::Nothing) actions.push_back({c, v});
        next = std::min(next, v.next);
    }
    for (const Action& a : actions) {
        Connection& c = *a.c;
        if (a.v.kind == Verdict::Kind::SendPing) {
            c.times.ping_sent = now;
            queue(c, c.irc != nullptr ? irc_ping_chunk_ : ping_chunk_);
        } else if (c.phase == Phase::Closing) {
            log_event(c.id(), "gave up flushing after " + std::to_string(c.queued_bytes()) + " bytes");
            finish_close(c);
        } else {
            drop(c, a.v.reason, a.v.reason);
        }
    }
    settle();
    if (shutting_down_) next = std::min(next, shutdown_by_);
    if (next != TimePoint::max()) schedule_sweep(next);
}

// ---- signals -----------------------------------------------------------------------------------

void Server::on_signal_pipe() {
    for (int sig : signals_.take()) {
        if (sig != SIGINT && sig != SIGTERM) continue;
        if (shutting_down_) {
            log_event(0, std::string("second ") + (sig == SIGINT ? "SIGINT" : "SIGTERM") + ": stopping now");
            loop_.stop();
            return;
        }
        log_event(0, std::string(sig == SIGINT ? "SIGINT" : "SIGTERM") + ": shutting down");
        begin_shutdown();
    }
}

void Server::begin_shutdown() {
    shutting_down_ = true;
    shutdown_by_ = Clock::now() + config_.shutdown_grace;
    loop_.remove(listen_fd_);
    ::close(listen_fd_);
    listen_fd_ = -1;
    if (irc_listen_fd_ >= 0) {
        loop_.remove(irc_listen_fd_);
        ::close(irc_listen_fd_);
        irc_listen_fd_ = -1;
    }
    // Everyone gets the same bye, encoded once per protocol; nobody is told about the others leaving.
    const Chunk bye = encoded(Bye{"server shutting down"});
    const Chunk irc_bye = std::make_shared<const std::string>(irc::error_line("server shutting down"));
    std::vector<Connection*> all;
    all.reserve(by_id_.size());
    for (const auto& [id, c] : by_id_) all.push_back(c);
    for (Connection* c : all) {
        if (c->phase == Phase::Closing) continue;
        queue(*c, c->irc != nullptr ? irc_bye : bye);
        begin_close(*c, "server shutting down");
    }
    schedule_sweep(shutdown_by_);
}

}  // namespace natter::server
