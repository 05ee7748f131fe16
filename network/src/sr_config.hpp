#pragma once
// Reading a super-resolution net config (format in sr_network.hpp); the
// net-config reader hands it a document that has an "upsampler".
#include "json_reader.hpp"
#include "vpucost/sr_network.hpp"

namespace vpucost {

/// Every error names the source and the JSON path.
SrNet parse_sr_config(const json_reader::Json& doc, const json_reader::Path& root);

}  // namespace vpucost
