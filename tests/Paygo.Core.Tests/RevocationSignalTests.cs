using Paygo.Core.Identity;

namespace Paygo.Core.Tests;

/// <summary>
/// The revocation watcher reads the SQL of every write command (bulk inserts of price rows
/// included), so it is one pass over the text; these pin down what it must and must not see.
/// </summary>
public sealed class RevocationSignalTests
{
    [Theory]
    [InlineData("UPDATE \"Users\" SET \"IsDisabled\" = @p0 WHERE \"Id\" = @p1;")]
    [InlineData("DELETE FROM \"Users\" WHERE \"Id\" = @p0;")]
    [InlineData("UPDATE \"OpenIddictTokens\" AS o SET \"Status\" = 'revoked' WHERE o.\"AuthorizationId\" = @id")]
    [InlineData("DELETE FROM \"OpenIddictTokens\" WHERE \"Id\" = @p0;")]
    [InlineData("UPDATE \"OpenIddictAuthorizations\" SET \"Status\" = @p0;")]
    [InlineData("DELETE FROM \"OpenIddictAuthorizations\" WHERE \"Id\" = @p0;")]
    [InlineData("UPDATE \"OpenIddictApplications\" SET \"ClientSecret\" = @p0;")]
    [InlineData("DELETE FROM \"OpenIddictApplications\" WHERE \"Id\" = @p0;")]
    [InlineData("update \"users\" set \"SecurityStamp\" = @p0;")]
    [InlineData("INSERT INTO \"AuditEntries\" (\"Id\") VALUES (@p0);\nUPDATE \"Users\" SET \"SecurityStamp\" = @p1 WHERE \"Id\" = @p2;")]
    [InlineData("  \n UPDATE \"Users\" SET \"IsDisabled\" = TRUE")]
    public void WritesToTheRowsATokenStandsOn_CanRevoke(string sql) => Assert.True(RevocationSignal.CanRevoke(sql));

    [Theory]
    [InlineData("SELECT u.\"Id\" FROM \"Users\" AS u WHERE u.\"Id\" = @id")]
    [InlineData("  select 1 from \"OpenIddictTokens\"")]
    [InlineData("INSERT INTO \"Users\" (\"Id\") VALUES (@p0);")]
    [InlineData("INSERT INTO \"OpenIddictTokens\" (\"Id\") VALUES (@p0);")]
    [InlineData("UPDATE \"Customers\" SET \"CompanyName\" = @p0;")]
    [InlineData("UPDATE \"UsersArchive\" SET \"Note\" = @p0;")]
    [InlineData("DELETE FROM \"PriceRows\" WHERE \"PriceListId\" = @p0;")]
    public void OtherCommands_DoNotRevoke(string sql) => Assert.False(RevocationSignal.CanRevoke(sql));

    [Fact]
    public void ALargeBulkInsert_IsScannedInOnePass_AndAWriteAtItsEndIsStillSeen()
    {
        // A multi-row insert of price rows is megabytes of SQL; a revoking write batched after it still counts.
        var rows = string.Join(",", Enumerable.Range(0, 50_000).Select(i => $"(@p{i}, @q{i}, @r{i})"));
        var insert = $"INSERT INTO \"PriceRows\" (\"A\", \"B\", \"C\") VALUES {rows};";

        Assert.False(RevocationSignal.CanRevoke(insert));
        Assert.True(RevocationSignal.CanRevoke(insert + "\nUPDATE \"Users\" SET \"SecurityStamp\" = @s WHERE \"Id\" = @u;"));
    }
}
