#pragma once
namespace vpucost {
inline constexpr const char* kVersion = "0.1.0";
}
