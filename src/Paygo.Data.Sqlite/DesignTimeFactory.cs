using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Paygo.Core;

namespace Paygo.Data.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the SQLite model (CONTRIBUTING.md).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PaygoDbContext>
{
    public PaygoDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PaygoDbContext>();
        new SqliteEngine().Configure(options, "Data Source=design-time.db");
        return new PaygoDbContext(options.Options);
    }
}
