// The precompiled header of the test executables, used only in unity builds (SDC_UNITY_BUILD, the
// clean builds of CI): GoogleTest and the standard headers most tests include, parsed once for all
// test targets instead of once per test source (the ASan build's test sources took 15.8 s each at
// -O0, 13.1 s with this header precompiled). Each test source still includes what it uses: the
// development builds compile without it, which is what catches a missing include.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>
