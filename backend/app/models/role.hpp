// Membership roles, ordered by what they may do.
#pragma once

#include <optional>
#include <string_view>

namespace otq::models {

/// viewer < analyst < admin < owner: a route that needs `analyst` admits admins and owners too.
enum class Role { viewer = 1, analyst = 2, admin = 3, owner = 4 };

std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);
inline bool role_at_least(Role have, Role need) {
  return static_cast<int>(have) >= static_cast<int>(need);
}

}  // namespace otq::models
