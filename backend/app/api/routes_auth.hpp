// /api/v1/auth/*: signup, login, logout, me, switch-account.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::routes {

http::Response post_signup(AppContext& app, http::Request& req);
http::Response post_login(AppContext& app, http::Request& req);
http::Response post_logout(AppContext& app, http::Request& req);
http::Response post_password_reset(AppContext& app, http::Request& req);
http::Response post_password_reset_confirm(AppContext& app, http::Request& req);
http::Response get_me(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_switch_account(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_change_password(AppContext& app, http::Request& req, const services::AuthContext& ctx);

// /api/v1/api-keys
http::Response get_api_keys(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_api_key(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response delete_api_key(AppContext& app, http::Request& req, const services::AuthContext& ctx);

// /api/v1/accounts/current
http::Response get_current_account(AppContext& app, http::Request& req, const services::AuthContext& ctx);

}  // namespace otq::api::routes
