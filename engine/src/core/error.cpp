#include "subsim/core/error.hpp"

namespace subsim {
namespace {

std::string compose(const SourceLocation& where, const std::string& key, const std::string& message) {
    std::string out = to_string(where);
    if (!out.empty()) out += ": ";
    if (!key.empty()) out += key + ": ";
    return out + message;
}

}  // namespace

std::string to_string(const SourceLocation& loc) {
    std::string out = loc.file;
    if (loc.line > 0) {
        out += ":" + std::to_string(loc.line);
        if (loc.column > 0) out += ":" + std::to_string(loc.column);
    }
    return out;
}

ScenarioError::ScenarioError(SourceLocation where, std::string key, Text message)
    : std::runtime_error(compose(where, key, message.en)),
      where_(std::move(where)),
      key_(std::move(key)),
      message_(std::move(message)) {}

std::string ScenarioError::to_string(Lang lang) const { return compose(where_, key_, message_.in(lang)); }

std::string Warning::to_string(Lang lang) const { return compose(where, key, message.in(lang)); }

}  // namespace subsim
