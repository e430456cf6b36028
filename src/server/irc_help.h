// What IRC's HELP (and HELPOP) answers: one topic per command natterd's IRC listener
// understands, each a usage line and a few lines saying what it does here. Pure data, kept next
// to the command table by a test that every command has its topic.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace natter::server::irc {

struct HelpTopic {
    const char* command;             // "PRIVMSG"
    std::vector<const char*> lines;  // the usage first, then what it does
};

// Every topic, in the order HELP lists them.
const std::vector<HelpTopic>& help_topics();

// The topic for `subject` (case ignored), or nullptr.
const HelpTopic* find_help(std::string_view subject);

// The index HELP without a subject answers: a few lines, the command names wrapped to fit.
std::vector<std::string> help_index();

}  // namespace natter::server::irc
