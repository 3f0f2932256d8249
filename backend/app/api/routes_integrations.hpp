// /api/v1/integrations/*: connections to ad platforms and stores.
#pragma once

#include "app/api/router.hpp"
#include "app/http/message.hpp"
#include "app/services/auth_service.hpp"

namespace otq::api::routes {

http::Response get_integrations(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response get_integration(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response patch_integration(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response delete_integration(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response post_integration_sync(AppContext& app, http::Request& req, const services::AuthContext& ctx);
http::Response get_integration_runs(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/integrations/{id}/ad-accounts (Meta): the ad-account picker.
http::Response get_integration_ad_accounts(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// POST /api/v1/integrations/{provider}/connect
http::Response post_integration_connect(AppContext& app, http::Request& req, const services::AuthContext& ctx);
/// GET /api/v1/integrations/{provider}/callback: public (the provider redirects the browser here);
/// the state and the session cookie authenticate it.
http::Response get_integration_callback(AppContext& app, http::Request& req);

}  // namespace otq::api::routes
