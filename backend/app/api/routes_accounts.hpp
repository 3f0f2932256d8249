// /api/v1/accounts and /api/v1/accounts/current/{members,invitations}, /api/v1/invitations/accept.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::routes {

http::Response post_account(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response patch_current_account(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response get_members(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_member(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response patch_member(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response delete_member(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// The owner's archive of everything the account holds (tar.gz of CSV and JSON), streamed.
http::Response post_account_export(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// The owner erases the account and all its data, for good.
http::Response delete_current_account(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response delete_invitation(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response get_audit_log(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_accept_invitation(AppContext& app, http::Request& req, const services::AuthContext& ctx);

}  // namespace otq::api::routes
