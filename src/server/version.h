// natterd's version, shown by --version and sent in every welcome.
#pragma once

namespace natter::server {

constexpr const char* kVersion = "0.1.0";

}  // namespace natter::server
