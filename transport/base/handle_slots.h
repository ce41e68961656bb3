// HandleSlots<Handle, T>: objects owned by slot, found by a generational
// handle. A handle names one object for its whole life by (index,
// generation); the issuer (ConnectionIdRegistry for ConnectionHandle) reuses
// an index only with a new generation, so a stale handle finds nothing here
// even after its index holds a newer object.
//
// Handle is any type with an unsigned `index` member and operator==
// comparing index and generation. The map is generic so that base/, the
// bottom layer, does not depend on routing/ where ConnectionHandle lives.
//
// Contract:
// - Find(handle) returns the object inserted under exactly that handle, or
//   null (empty slot, or a slot holding another generation).
// - Insert(handle, object) owns `object` at handle.index, replacing (and
//   destroying) whatever that index held before.
// - Take(handle) and Erase(handle) remove the object only if the slot holds
//   exactly that handle.
// - Iteration visits occupied slots in index order, which is deterministic
//   (the simulator's runs depend on it). Inserting or erasing invalidates
//   iterators: collect Handles() first to change the map while walking it.
// - Storage grows to the highest index inserted; issuers reuse indices, so
//   it stays as large as the most objects alive at once.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace p2pquic {

template <typename Handle, typename T>
class HandleSlots {
 private:
  struct Slot {
    Handle handle;
    std::unique_ptr<T> object;  // Null: the slot is free.
  };

 public:
  // Iterates occupied slots in index order, yielding (handle, T&).
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = std::pair<Handle, T*>;
    using difference_type = std::ptrdiff_t;

    Iterator(const std::vector<Slot>* slots, size_t at) : slots_(slots), at_(at) { Skip(); }
    std::pair<Handle, T&> operator*() const {
      const Slot& slot = (*slots_)[at_];
      return {slot.handle, *slot.object};
    }
    Iterator& operator++() {
      ++at_;
      Skip();
      return *this;
    }
    friend bool operator==(const Iterator& a, const Iterator& b) { return a.at_ == b.at_; }

   private:
    void Skip() {
      while (at_ < slots_->size() && (*slots_)[at_].object == nullptr) ++at_;
    }
    const std::vector<Slot>* slots_;
    size_t at_;
  };

  T* Find(const Handle& handle) const {
    if (handle.index >= slots_.size()) return nullptr;
    const Slot& slot = slots_[handle.index];
    return slot.object != nullptr && slot.handle == handle ? slot.object.get() : nullptr;
  }

  T& Insert(const Handle& handle, std::unique_ptr<T> object) {
    if (handle.index >= slots_.size()) slots_.resize(static_cast<size_t>(handle.index) + 1);
    Slot& slot = slots_[handle.index];
    if (slot.object == nullptr) ++size_;
    slot.handle = handle;
    slot.object = std::move(object);
    return *slot.object;
  }

  // Removes the object inserted under `handle` and hands it over (null if
  // the slot holds no such object): the caller may still use it, e.g. to
  // tell it that it is gone, while Find no longer finds it.
  std::unique_ptr<T> Take(const Handle& handle) {
    if (Find(handle) == nullptr) return nullptr;
    --size_;
    return std::move(slots_[handle.index].object);
  }

  // Whether an object was erased. The object is out of the map before its
  // destructor runs (a destructor that looks itself up finds nothing).
  bool Erase(const Handle& handle) { return Take(handle) != nullptr; }

  void Clear() {
    std::vector<Slot> doomed;
    doomed.swap(slots_);
    size_ = 0;
  }

  // Handles of the occupied slots, in index order.
  std::vector<Handle> Handles() const {
    std::vector<Handle> handles;
    handles.reserve(size_);
    for (const auto& [handle, object] : *this) handles.push_back(handle);
    return handles;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Iterator begin() const { return Iterator(&slots_, 0); }
  Iterator end() const { return Iterator(&slots_, slots_.size()); }

 private:
  std::vector<Slot> slots_;
  size_t size_ = 0;
};

}  // namespace p2pquic
