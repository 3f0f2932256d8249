// LRU bookkeeping for ResponseCache.
#include "app/services/response_cache.hpp"

namespace otq::services {

ResponseCache::ResponseCache(std::size_t max_bytes) : max_bytes_(max_bytes) {}

std::shared_ptr<const nlohmann::json> ResponseCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  const auto it = index_.find(key);
  if (it == index_.end()) {
    ++stats_.misses;
    return nullptr;
  }
  lru_.splice(lru_.begin(), lru_, it->second);
  ++stats_.hits;
  return it->second->value;
}

void ResponseCache::put(const std::string& key, nlohmann::json value) {
  if (max_bytes_ == 0) return;
  // A parsed JSON tree takes a few times its text size; the estimate errs on the large side.
  const std::size_t bytes = key.size() * 2 + value.dump().size() * 4 + 256;
  if (bytes > max_bytes_ / 4) return;  // one answer never crowds out the rest
  auto shared = std::make_shared<const nlohmann::json>(std::move(value));
  std::lock_guard lock(mutex_);
  if (const auto it = index_.find(key); it != index_.end()) {
    stats_.bytes -= it->second->bytes;
    lru_.erase(it->second);
    index_.erase(it);
  }
  lru_.push_front(Entry{key, std::move(shared), bytes});
  index_.emplace(key, lru_.begin());
  stats_.bytes += bytes;
  while (stats_.bytes > max_bytes_ && !lru_.empty()) {
    stats_.bytes -= lru_.back().bytes;
    index_.erase(lru_.back().key);
    lru_.pop_back();
  }
  stats_.entries = lru_.size();
}

ResponseCache::Stats ResponseCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats s = stats_;
  s.entries = lru_.size();
  return s;
}

}  // namespace otq::services
