// The bad-input table (docs/bad-inputs.md), one test per row: each runs
// `vpucost` on one bad input in a scratch folder and checks the answer is a
// clean refusal (exit code, one "vpucost <command>: error: ..." line with the
// documented words, no output file). Set VPUCOST_BAD_INPUT_TABLE=<file> to
// append each row, with the exact message, as Markdown (how the table in the
// docs is made).
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <span>
#include <string>
#include <vector>

#include "bad_command_cases.hpp"
#include "bad_input_cases.hpp"
#include "bad_input_files.hpp"
#include "cli_cases.hpp"

namespace vpucost {
namespace {

using test::BadInputFiles;

using test::Case;
using test::kCommandCases;
using test::kFileCases;

class BadInput : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() { files_ = new BadInputFiles(); }
  static void TearDownTestSuite() {
    delete files_;
    files_ = nullptr;
  }
  static BadInputFiles* files_;
};
BadInputFiles* BadInput::files_ = nullptr;

// Appends the row to $VPUCOST_BAD_INPUT_TABLE (Markdown) when set.
void record_row(const Case& c, const std::string& args, const test::CliResult& r,
                const std::string& environment = "") {
  const char* table = std::getenv("VPUCOST_BAD_INPUT_TABLE");
  if (table == nullptr) return;
  std::string message = r.err.substr(0, r.err.find('\n'));
  std::string escaped;
  for (const char ch : message) escaped += ch == '|' ? std::string("\\|") : std::string(1, ch);
  std::ofstream(table, std::ios::app)
      << "| " << c.input << " | `" << environment << "vpucost " << args << "` | `" << escaped
      << "` | " << r.exit_code << " | `BadInput." << c.id << "` |\n";
}

TEST_P(BadInput, IsRefusedCleanly) {
  const Case& c = GetParam();
  std::string args = c.args;
  std::string prefix;
  const std::string unprivileged = "@unprivileged ";
  if (args.rfind(unprivileged, 0) == 0) {
    args = args.substr(unprivileged.size());
    // Mode 000 stops everyone but root: as root, run vpucost as nobody.
    if (geteuid() == 0) {
      if (std::system("setpriv --reuid=65534 --regid=65534 --clear-groups true") != 0) {
        GTEST_SKIP() << "running as root without setpriv: mode 000 cannot be tested";
      }
      prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups";
    }
  }
  const std::string environment = "@env ";
  if (args.rfind(environment, 0) == 0) {  // "@env NAME=VALUE rest": NAME=VALUE for vpucost
    args = args.substr(environment.size());
    const auto space = args.find(' ');
    prefix = "env " + args.substr(0, space);
    args = args.substr(space + 1);
  }
  const auto before = files_->names();
  const test::CliResult r = test::run_in(files_->dir(), args, prefix);
  record_row(c, args, r, prefix.rfind("env ", 0) == 0 ? prefix.substr(4) + " " : "");
  EXPECT_TRUE(test::clean_error(r, args, c.expect, c.code));
  EXPECT_EQ(test::files_except(files_->dir(), before), std::vector<std::string>{})
      << "output left behind by " << args;
}

// docs/bad-inputs.md is generated from this table (see the top of this
// file); a case added here and not there is a documentation gap.
TEST(BadInputTable, EveryCaseIsInTheDocs) {
  std::ifstream in(std::string(VPUCOST_SOURCE_DIR) + "/docs/bad-inputs.md");
  ASSERT_TRUE(in) << "docs/bad-inputs.md is missing";
  const std::string docs((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const std::span<const Case> cases :
       {std::span<const Case>(kFileCases), std::span<const Case>(kCommandCases)}) {
    for (const Case& c : cases) {
      EXPECT_NE(docs.find("`BadInput." + std::string(c.id) + "`"), std::string::npos)
          << c.id << " is not in docs/bad-inputs.md";
    }
  }
}

INSTANTIATE_TEST_SUITE_P(TableOfFiles, BadInput, ::testing::ValuesIn(kFileCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.id; });
INSTANTIATE_TEST_SUITE_P(TableOfCommands, BadInput, ::testing::ValuesIn(kCommandCases),
                         [](const ::testing::TestParamInfo<Case>& info) { return info.param.id; });

}  // namespace
}  // namespace vpucost
