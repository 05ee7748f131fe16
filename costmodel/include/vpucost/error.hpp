#pragma once
// The one exception type of vpucost. Every message names what is wrong and,
// where it applies, where (file, line, field). The CLI prints it on one line.
#include <stdexcept>
#include <string>

namespace vpucost {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace vpucost
