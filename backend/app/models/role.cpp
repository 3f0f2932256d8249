// Role names as stored in memberships.role.
#include "app/models/role.hpp"

namespace otq::models {

std::string_view role_name(Role r) {
  switch (r) {
    case Role::viewer: return "viewer";
    case Role::analyst: return "analyst";
    case Role::admin: return "admin";
    case Role::owner: return "owner";
  }
  return "viewer";
}

std::optional<Role> parse_role(std::string_view name) {
  if (name == "viewer") return Role::viewer;
  if (name == "analyst") return Role::analyst;
  if (name == "admin") return Role::admin;
  if (name == "owner") return Role::owner;
  return std::nullopt;
}

}  // namespace otq::models
