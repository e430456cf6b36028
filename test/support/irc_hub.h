// The IRC translation layer and the chat core without the server shell: what natterd's server
// does with an IRC line (the session's steps, each message to the core with its context, the
// deliveries rendered once per protocol) in a few dozen lines, for unit tests and the fuzzer.
// Header-only, no sockets.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "server/chat_core.h"
#include "server/irc_render.h"
#include "server/irc_session.h"

namespace natter::testing {

class IrcHub {
public:
    explicit IrcHub(server::CoreConfig core = {}) : core_(std::move(core)) { config_.server_name = "irc.test"; }

    server::ChatCore& core() { return core_; }
    server::irc::Config& config() { return config_; }
    server::irc::Directory& directory() { return dir_; }
    server::irc::Session& session(server::ClientId id) { return *irc_.at(id); }

    void connect_irc(server::ClientId id) {
        irc_[id] = std::make_unique<server::irc::Session>(config_, id);
        core_.connect(id, now_, false);
    }
    void connect_natter(server::ClientId id) { core_.connect(id, now_); }
    void natter_sends(server::ClientId id, const Message& m) {
        server::Outputs out;
        core_.handle(id, m, now_, out);
        settle(out);
    }

    // One line from an IRC client, handled as the server handles it.
    void line(server::ClientId id, std::string_view text) {
        server::irc::Session& s = *irc_.at(id);
        server::irc::Work work = s.on_line(text, core_, dir_, now_);
        run(id, work);
    }
    void too_long(server::ClientId id) {
        server::irc::Work work = irc_.at(id)->on_too_long();
        run(id, work);
    }

    // Everything an IRC client was sent since the last call, and forgets it.
    std::string take(server::ClientId id) {
        std::string s = std::move(bytes_[id]);
        bytes_[id].clear();
        return s;
    }
    // Every message a natter client was sent since the last call.
    std::vector<Message> take_natter(server::ClientId id) {
        auto v = std::move(natter_[id]);
        natter_[id].clear();
        return v;
    }
    bool closed(server::ClientId id) const { return closed_.count(id) != 0; }
    // How many times a shared IRC rendering was made (once per delivery with IRC recipients).
    int shared_renders() const { return shared_renders_; }

private:
    void run(server::ClientId id, server::irc::Work& work) {
        server::irc::Session& s = *irc_.at(id);
        for (server::irc::Step& step : work.steps) {
            bytes_[id] += step.reply;
            if (step.message || step.call) {
                server::Outputs out;
                s.set_context(step.context);
                if (step.message) core_.handle(id, *step.message, now_, out);
                else server::irc::apply(core_, id, *step.call, now_, out);
                settle(out);
                s.clear_context();
            }
            if (closed(id)) return;
        }
        if (!work.close.empty()) {
            server::Outputs out;
            core_.disconnect(id, work.close, now_, out);
            settle(out);
            closed_.insert({id, work.close});
        }
    }

    void settle(server::Outputs& out) {
        for (const server::Delivery& d : out.deliveries) {
            std::string shared;
            bool rendered = false;
            for (server::ClientId to : d.to) {
                if (closed(to)) continue;
                auto it = irc_.find(to);
                if (it == irc_.end()) {
                    natter_[to].push_back(d.msg);
                    continue;
                }
                server::irc::Session& s = *it->second;
                switch (s.view(d.msg)) {
                case server::irc::View::Skip:
                    break;
                case server::irc::View::Shared:
                    if (!rendered) {
                        shared = server::irc::render_shared(d.msg, dir_, config_);
                        rendered = true;
                        ++shared_renders_;
                    }
                    bytes_[to] += shared;
                    break;
                case server::irc::View::Own:
                    bytes_[to] += s.render(d.msg, core_, dir_);
                    break;
                }
                s.observe(d.msg, dir_);
            }
        }
        for (const server::ModeChange& m : out.mode_changes)
            for (server::ClientId to : m.to)
                if (irc_.count(to) != 0 && !closed(to)) bytes_[to] += server::irc::mode_line(m, dir_);
        for (const server::CloseAction& c : out.closes) closed_.insert({c.id, c.reason});
    }

    server::ChatCore core_;
    server::irc::Config config_;
    server::irc::Directory dir_;
    std::map<server::ClientId, std::unique_ptr<server::irc::Session>> irc_;
    std::map<server::ClientId, std::string> bytes_;
    std::map<server::ClientId, std::vector<Message>> natter_;
    std::map<server::ClientId, std::string> closed_;
    server::Millis now_ = 1'700'000'000'000;
    int shared_renders_ = 0;
};

}  // namespace natter::testing
