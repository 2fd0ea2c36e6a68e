// Internal: from classifier scores per cell to a reading, correcting confusable characters with
// field types and check digits.
#pragma once

#include <array>
#include <vector>

#include "mrz/layout.hpp"

namespace sdc::mrz {

/// Scores of one cell against each character of kAlphabet (higher is more alike, about -1 to 1).
using CellScores = std::array<float, kAlphabetSize>;

/// Chooses a character per cell and parses the zone. With `correct`, each cell takes the best
/// character its field allows, then failed check digits are repaired by the cheapest substitution
/// (of close second choices) that makes them hold; every change is listed.
/// `scores` must have the format's shape.
MrzReading decode(MrzFormat f, const std::vector<std::vector<CellScores>>& scores, bool correct);

}  // namespace sdc::mrz
