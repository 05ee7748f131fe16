#include "hdf5_format.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <fstream>

#include "vpucost/error.hpp"

namespace vpucost::h5::format {
namespace {

constexpr unsigned char kSignature[] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

// Bob Jenkins' lookup3 hash (public domain), byte by byte: the checksum
// HDF5 puts on its metadata (H5_checksum_metadata).
std::uint32_t lookup3(const unsigned char* k, std::size_t length) {
  const auto rot = [](std::uint32_t x, int n) { return (x << n) | (x >> (32 - n)); };
  std::uint32_t a = 0xdeadbeef + static_cast<std::uint32_t>(length);
  std::uint32_t b = a;
  std::uint32_t c = a;
  const auto word = [&](std::size_t i, std::size_t n) {  // n bytes of k[i..], little-endian
    std::uint32_t w = 0;
    for (std::size_t j = 0; j < n; ++j) w |= std::uint32_t{k[i + j]} << (8 * j);
    return w;
  };
  while (length > 12) {
    a += word(0, 4);
    b += word(4, 4);
    c += word(8, 4);
    a -= c, a ^= rot(c, 4), c += b;
    b -= a, b ^= rot(a, 6), a += c;
    c -= b, c ^= rot(b, 8), b += a;
    a -= c, a ^= rot(c, 16), c += b;
    b -= a, b ^= rot(a, 19), a += c;
    c -= b, c ^= rot(b, 4), b += a;
    length -= 12;
    k += 12;
  }
  if (length == 0) return c;
  a += word(0, std::min<std::size_t>(length, 4));
  if (length > 4) b += word(4, std::min<std::size_t>(length - 4, 4));
  if (length > 8) c += word(8, length - 8);
  c ^= b, c -= rot(b, 14);
  a ^= c, a -= rot(c, 11);
  b ^= a, b -= rot(a, 25);
  c ^= b, c -= rot(b, 16);
  a ^= c, a -= rot(c, 4);
  b ^= a, b -= rot(a, 14);
  c ^= b, c -= rot(b, 24);
  return c;
}

}  // namespace

void require_checksummed(const std::filesystem::path& path, const std::string& what) {
  unsigned char head[9] = {};
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(head), sizeof head);
  const auto got = static_cast<std::size_t>(in.gcount());
  const std::string file = what + " file " + path.string();
  if (got < 8 || std::memcmp(head, kSignature, 8) != 0) {
    // libhdf5 also finds files whose signature follows a user block at 512,
    // 1024, ... bytes; vpucost never writes one.
    throw Error(file + " has data before its HDF5 signature (a user block), which vpucost " +
                "does not write; it is another program's file");
  }
  if (got < sizeof head) {
    throw Error(file + " is damaged or truncated: it ends inside the HDF5 superblock");
  }
  if (head[8] < kMinSuperblockVersion) {
    throw Error(file + " is in the HDF5 1.8 file format (superblock version " +
                std::to_string(head[8]) +
                "), whose metadata has no checksums; vpucost reads only the checksummed " +
                "HDF5 1.10 format it writes (it is another program's file or from a vpucost " +
                "before model format 3)");
  }
}

void use_checksummed_format(H5::FileAccPropList& access) {
  access.setLibverBounds(H5F_LIBVER_V110, H5F_LIBVER_LATEST);
}

void fix_superblock_checksum(std::string& image) {
  auto* bytes = reinterpret_cast<unsigned char*>(image.data());
  if (image.size() < 12 || std::memcmp(bytes, kSignature, 8) != 0 || bytes[8] < 2) return;
  const std::size_t covered = 12 + 4 * std::size_t{bytes[9]};
  if (image.size() < covered + 4) return;
  bytes[11] = 0;
  const std::uint32_t sum = lookup3(bytes, covered);
  for (int i = 0; i < 4; ++i) bytes[covered + i] = static_cast<unsigned char>(sum >> (8 * i));
}

}  // namespace vpucost::h5::format
