package org.trajlake.stack;

/** The answer of a health probe: healthy or not, and a short reason either way. */
record Health(boolean healthy, String detail) {
  static Health up(String detail) {
    return new Health(true, detail);
  }

  static Health down(String detail) {
    return new Health(false, detail);
  }
}
