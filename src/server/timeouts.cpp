#include "server/timeouts.h"

namespace natter::server {

Verdict check_timeouts(Phase phase, const ConnectionTimes& t, TimePoint now, const Timeouts& cfg) {
    Verdict v;
    switch (phase) {
    case Phase::AwaitingHello:
        v.next = t.connected + cfg.login;
        if (now >= v.next) {
            v.kind = Verdict::Kind::Close;
            v.reason = "login timeout";
        }
        return v;
    case Phase::LoggedIn:
        if (t.ping_sent) {
            v.next = *t.ping_sent + cfg.ping_timeout;
            if (now >= v.next) {
                v.kind = Verdict::Kind::Close;
                v.reason = "ping timeout";
            }
            return v;
        }
        v.next = t.last_input + cfg.ping_interval;
        if (now >= v.next) {
            v.kind = Verdict::Kind::SendPing;
            v.next = now + cfg.ping_timeout;
        }
        return v;
    case Phase::Closing:
        v.next = t.close_by;
        if (now >= v.next) {
            v.kind = Verdict::Kind::Close;
            v.reason = "could not flush before closing";
        }
        return v;
    }
    return v;
}

}  // namespace natter::server
