#include "vpucost/enums.hpp"

#include "vpucost/error.hpp"

namespace vpucost {

template <class E>
std::string names_list() {
  std::string out;
  const auto& names = EnumInfo<E>::names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

template <class E>
E parse(std::string_view name) {
  if (auto value = try_parse<E>(name)) return *value;
  throw Error("unknown " + std::string(EnumInfo<E>::kind) + " '" + std::string(name) +
              "' (expected " + names_list<E>() + ")");
}

#define VPUCOST_INSTANTIATE(E)          \
  template std::string names_list<E>(); \
  template E parse<E>(std::string_view name);
VPUCOST_INSTANTIATE(Device)
VPUCOST_INSTANTIATE(Operation)
VPUCOST_INSTANTIATE(DType)
VPUCOST_INSTANTIATE(ExecutionMode)
VPUCOST_INSTANTIATE(ActivationFunction)
VPUCOST_INSTANTIATE(IsiStrategy)
VPUCOST_INSTANTIATE(WorkloadKind)
VPUCOST_INSTANTIATE(ShaveOp)
VPUCOST_INSTANTIATE(DmaDirection)
VPUCOST_INSTANTIATE(DmaMethod)
VPUCOST_INSTANTIATE(TilingStrategy)
#undef VPUCOST_INSTANTIATE

}  // namespace vpucost
