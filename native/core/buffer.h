// Float buffers for activations, gradients and parameters: 64-byte aligned (one
// cache line, one AVX-512 vector), zero-filled, owned (RAII), never handed to
// JavaScript (Electron forbids external buffers; the binding copies out).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace vgl {

class Buffer {
 public:
  Buffer() = default;
  explicit Buffer(int64_t n) { resize(n); }

  // Drops the old contents; the new buffer is zero-filled.
  void resize(int64_t n) {
    if (n < 0) throw std::bad_alloc();
    size_t bytes = (static_cast<size_t>(n) * sizeof(float) + 63) / 64 * 64;
    if (bytes == 0) bytes = 64;
    void* p = std::aligned_alloc(64, bytes);
    if (!p) throw std::bad_alloc();
    std::memset(p, 0, bytes);
    data_.reset(static_cast<float*>(p));
    size_ = n;
  }

  void zero() {
    if (size_ > 0) std::memset(data_.get(), 0, static_cast<size_t>(size_) * sizeof(float));
  }

  float* data() { return data_.get(); }
  const float* data() const { return data_.get(); }
  int64_t size() const { return size_; }
  float& operator[](int64_t i) { return data_.get()[i]; }
  float operator[](int64_t i) const { return data_.get()[i]; }

 private:
  struct Free {
    void operator()(float* p) const { std::free(p); }
  };
  std::unique_ptr<float, Free> data_;
  int64_t size_ = 0;
};

}  // namespace vgl
