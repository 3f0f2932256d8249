// Keys for tests that build services in-process.
#pragma once

#include <string>

#include "app/security/credential_cipher.hpp"

namespace otq::testing {

/// A credential key ring for in-process services (id k1, 32 bytes of 0x11: kTestTokenKeyRing).
inline security::CredentialCipher test_credential_cipher() {
  return security::CredentialCipher::parse("k1:" + std::string(64, '1'));
}

}  // namespace otq::testing
