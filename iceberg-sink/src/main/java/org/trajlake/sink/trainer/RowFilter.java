package org.trajlake.sink.trainer;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;

/**
 * Parses a {@code --where} text into an Iceberg {@link Expression} over the top-level primitive columns
 * of a table, so the scan prunes files and row groups by their statistics and Iceberg's generic reader
 * drops the remaining non-matching rows exactly.
 *
 * <p>The language, keywords in any case:
 *
 * <pre>
 *   filter     := or
 *   or         := and ('or' and)*
 *   and        := not ('and' not)*
 *   not        := 'not' not | '(' or ')' | predicate
 *   predicate  := column ('=' | '!=' | '&lt;&gt;' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=') literal
 *               | column 'is' ['not'] 'null'
 *               | column ['not'] 'in' '(' literal (',' literal)* ')'
 *   literal    := 'quoted string' ('' inside is a quote) | number | true | false
 * </pre>
 *
 * A literal must suit its column: a quoted string for a string column, a number for a numeric one, and
 * for a timestamp column a quoted ISO-8601 time ({@code '2025-06-01T12:00:00Z'}, with an offset, or a
 * date or local time taken as UTC). This is a deliberately small subset of SQL written by hand: a SQL
 * parser would accept functions, arithmetic and joins that Iceberg cannot push down, each needing its
 * own rejection, while every error here can name the column and list the valid ones.
 */
public final class RowFilter {
  private static final Pattern TOKEN = Pattern.compile(
      "\\s*(?:(?<string>'(?:[^']|'')*')|(?<number>-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)"
          + "|(?<word>[A-Za-z_][A-Za-z0-9_]*)|(?<symbol><=|>=|!=|<>|[=<>(),]))");

  private final String text;
  private final Schema schema;
  private final List<Token> tokens;
  private int next;

  private RowFilter(String text, Schema schema, List<Token> tokens) {
    this.text = text;
    this.schema = schema;
    this.tokens = tokens;
  }

  /** The expression {@code text} means over {@code schema}'s columns; always true when blank. */
  public static Expression parse(String text, Schema schema) {
    if (text == null || text.isBlank()) {
      return Expressions.alwaysTrue();
    }
    RowFilter parser = new RowFilter(text, schema, tokenize(text));
    Truth truth = parser.or();
    if (parser.peek() != null) {
      throw parser.error("expected 'and', 'or' or the end", parser.peek());
    }
    return truth.isTrue();
  }

  /**
   * Where a part of the filter is true and where it is false, kept apart as SQL does: a comparison with
   * a null value is neither, so {@code reward < 0.5} and {@code not (reward >= 0.5)} both leave out
   * rows without a reward. (Iceberg's own evaluator orders nulls first, which would count a null reward
   * as less than 0.5.) Negation swaps the two.
   */
  private record Truth(Expression isTrue, Expression isFalse) {
    /** A comparison on {@code column}: true or false only where the column has a value. */
    static Truth compare(String column, Expression comparison) {
      return new Truth(Expressions.and(Expressions.notNull(column), comparison),
          Expressions.and(Expressions.notNull(column), comparison.negate()));
    }
  }

  private record Token(String kind, String text, int position) {
    boolean is(String word) {
      return ("word".equals(kind) || "symbol".equals(kind)) && text.equalsIgnoreCase(word);
    }
  }

  private static List<Token> tokenize(String text) {
    List<Token> tokens = new ArrayList<>();
    Matcher matcher = TOKEN.matcher(text);
    int at = 0;
    while (at < text.length() && !text.substring(at).isBlank()) {
      if (!matcher.region(at, text.length()).lookingAt()) {
        int position = at + (text.length() - at - text.substring(at).stripLeading().length());
        throw new IllegalArgumentException("cannot read the filter \"" + text + "\" at position " + (position + 1)
            + ": unexpected '" + text.charAt(position) + "' (strings take 'single quotes')");
      }
      for (String kind : List.of("string", "number", "word", "symbol")) {
        if (matcher.group(kind) != null) {
          tokens.add(new Token(kind, matcher.group(kind), matcher.start(kind)));
        }
      }
      at = matcher.end();
    }
    return tokens;
  }

  private Truth or() {
    Truth left = and();
    while (accept("or")) {
      Truth right = and();
      left = new Truth(Expressions.or(left.isTrue(), right.isTrue()), Expressions.and(left.isFalse(), right.isFalse()));
    }
    return left;
  }

  private Truth and() {
    Truth left = not();
    while (accept("and")) {
      Truth right = not();
      left = new Truth(Expressions.and(left.isTrue(), right.isTrue()), Expressions.or(left.isFalse(), right.isFalse()));
    }
    return left;
  }

  private Truth not() {
    if (accept("not")) {
      Truth inner = not();
      return new Truth(inner.isFalse(), inner.isTrue());
    }
    if (accept("(")) {
      Truth inner = or();
      expect(")");
      return inner;
    }
    return predicate();
  }

  private Truth predicate() {
    Token name = take("a column name");
    if (!"word".equals(name.kind())) {
      throw error("expected a column name", name);
    }
    Types.NestedField column = column(name);
    String field = column.name();
    if (accept("is")) {
      boolean negated = accept("not");
      expect("null");
      Truth isNull = new Truth(Expressions.isNull(field), Expressions.notNull(field));
      return negated ? new Truth(isNull.isFalse(), isNull.isTrue()) : isNull;
    }
    boolean negated = accept("not");
    if (accept("in")) {
      expect("(");
      List<Object> values = new ArrayList<>();
      do {
        values.add(literal(column));
      } while (accept(","));
      expect(")");
      return Truth.compare(field, negated ? Expressions.notIn(field, values) : Expressions.in(field, values));
    }
    if (negated) {
      throw error("expected 'in' after 'not'", peek());
    }
    Token operator = take("a comparison (=, !=, <, <=, >, >=, is, in)");
    if (peek() != null && peek().is("null")) {
      throw error("compare with null using 'is null' or 'is not null'", peek());
    }
    return Truth.compare(field, switch (operator.text()) {
      case "=" -> Expressions.equal(field, literal(column));
      case "!=", "<>" -> Expressions.notEqual(field, literal(column));
      case "<" -> Expressions.lessThan(field, literal(column));
      case "<=" -> Expressions.lessThanOrEqual(field, literal(column));
      case ">" -> Expressions.greaterThan(field, literal(column));
      case ">=" -> Expressions.greaterThanOrEqual(field, literal(column));
      default -> throw error("expected a comparison (=, !=, <, <=, >, >=, is, in)", operator);
    });
  }

  private Types.NestedField column(Token name) {
    Types.NestedField column = schema.findField(name.text());
    if (column == null || !schema.columns().contains(column)) {
      throw new IllegalArgumentException("unknown column '" + name.text() + "' in the filter \"" + text
          + "\"; columns: " + String.join(", ", filterable()));
    }
    if (!column.type().isPrimitiveType()) {
      throw new IllegalArgumentException("column '" + name.text() + "' is a " + column.type().typeId()
          .toString().toLowerCase(Locale.ROOT) + " and cannot be filtered; columns: " + String.join(", ", filterable()));
    }
    return column;
  }

  private List<String> filterable() {
    return schema.columns().stream().filter(c -> c.type().isPrimitiveType()).map(Types.NestedField::name).toList();
  }

  /** The next token as a value of {@code column}'s type. */
  private Object literal(Types.NestedField column) {
    Token token = take("a value");
    boolean string = "string".equals(token.kind());
    boolean number = "number".equals(token.kind());
    Object value;
    try {
      value = switch (column.type().typeId()) {
        case STRING -> string ? unquote(token) : null;
        case INTEGER -> number ? new BigDecimal(token.text()).intValueExact() : null;
        case LONG -> number ? new BigDecimal(token.text()).longValueExact() : null;
        case FLOAT -> number ? Float.parseFloat(token.text()) : null;
        case DOUBLE -> number ? Double.parseDouble(token.text()) : null;
        case BOOLEAN -> token.is("true") || token.is("false") ? token.is("true") : null;
        case TIMESTAMP -> string ? timestampMicros(unquote(token)) : null;
        default -> throw new IllegalArgumentException("column '" + column.name() + "' (" + column.type()
            + ") can only be tested with 'is null' and 'is not null'");
      };
    } catch (ArithmeticException | DateTimeParseException e) {
      throw error("cannot use " + token.text() + " for column '" + column.name() + "' (" + column.type() + "): "
          + e.getMessage(), token);
    }
    if (value == null) {
      String expected = switch (column.type().typeId()) {
        case STRING -> "a 'quoted string'";
        case BOOLEAN -> "true or false";
        case TIMESTAMP -> "a 'quoted ISO-8601 time' such as '2025-06-01T12:00:00Z'";
        default -> "a number";
      };
      throw error("column '" + column.name() + "' (" + column.type() + ") takes " + expected, token);
    }
    return value;
  }

  /**
   * An ISO time as microseconds since the epoch, the value Iceberg binds to a timestamptz column: with
   * an offset or Z as given, a local time or a date as UTC.
   */
  private static long timestampMicros(String iso) {
    OffsetDateTime time;
    if (iso.length() <= "2025-06-01".length()) {
      time = LocalDate.parse(iso).atStartOfDay().atOffset(ZoneOffset.UTC);
    } else {
      try {
        time = OffsetDateTime.parse(iso);
      } catch (DateTimeParseException e) {
        time = LocalDateTime.parse(iso).atOffset(ZoneOffset.UTC);
      }
    }
    return DateTimeUtil.microsFromTimestamptz(time);
  }

  private static String unquote(Token token) {
    String quoted = token.text();
    return quoted.substring(1, quoted.length() - 1).replace("''", "'");
  }

  private Token peek() {
    return next < tokens.size() ? tokens.get(next) : null;
  }

  private Token take(String what) {
    Token token = peek();
    if (token == null) {
      throw new IllegalArgumentException("the filter \"" + text + "\" ends where " + what + " was expected");
    }
    next++;
    return token;
  }

  private boolean accept(String word) {
    Token token = peek();
    if (token != null && token.is(word)) {
      next++;
      return true;
    }
    return false;
  }

  private void expect(String word) {
    Token token = take("'" + word + "'");
    if (!token.is(word)) {
      throw error("expected '" + word + "'", token);
    }
  }

  private IllegalArgumentException error(String message, Token at) {
    if (at == null) {
      return new IllegalArgumentException("the filter \"" + text + "\" ends early: " + message);
    }
    return new IllegalArgumentException("cannot read the filter \"" + text + "\" at position " + (at.position() + 1)
        + " ('" + at.text() + "'): " + message);
  }
}
