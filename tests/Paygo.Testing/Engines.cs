using Xunit;

namespace Paygo.Testing;

/// <summary>The storage engines every database test runs on (DESIGN.md, Conventions 9).</summary>
public static class Engines
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    /// <summary>Theory data: <c>[Theory, MemberData(nameof(Engines.All), MemberType = typeof(Engines))]</c>.</summary>
    public static TheoryData<string> All => new(Sqlite, Postgres);

    /// <summary>The PostgreSQL server for tests: a connection string to a database the tests may create databases from.</summary>
    public static string? PostgresAdminConnectionString => Environment.GetEnvironmentVariable("PAYGO_TEST_POSTGRES") is { Length: > 0 } cs ? cs : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Skips a PostgreSQL test on a machine without <c>PAYGO_TEST_POSTGRES</c>; on CI a missing
    /// PostgreSQL is a failure, never a silent skip (Npgsql's pattern).
    /// </summary>
    public static string RequirePostgres()
    {
        if (PostgresAdminConnectionString is { } cs)
        {
            return cs;
        }

        if (IsCi)
        {
            Assert.Fail("PAYGO_TEST_POSTGRES is not set, but CI=true: every database test must run on PostgreSQL in CI.");
        }

        Assert.Skip("PostgreSQL tests need PAYGO_TEST_POSTGRES (a connection string); see CONTRIBUTING.md.");
        return string.Empty;
    }
}
