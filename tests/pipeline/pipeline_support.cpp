// The end-to-end fixtures of tests/compose, shared by this test executable.
#include "compose/card_support.cpp"
