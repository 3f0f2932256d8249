// A bounded, thread-safe LRU of computed JSON answers (the metrics engine's cache).
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <nlohmann/json.hpp>

namespace otq::services {

/// Keys must contain everything an answer depends on (account, normalised query, data versions):
/// the cache never invalidates, it only forgets the least recently used answers beyond its
/// memory budget. A budget of 0 turns it off.
class ResponseCache {
 public:
  explicit ResponseCache(std::size_t max_bytes);

  std::shared_ptr<const nlohmann::json> get(const std::string& key);
  void put(const std::string& key, nlohmann::json value);

  struct Stats {
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;
    std::size_t entries = 0;
    std::size_t bytes = 0;  ///< estimated memory held
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const nlohmann::json> value;
    std::size_t bytes;
  };
  const std::size_t max_bytes_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  ///< most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  Stats stats_;
};

}  // namespace otq::services
