using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Paygo.Core;

namespace Paygo.Data.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model without a server (CONTRIBUTING.md).</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PaygoDbContext>
{
    public PaygoDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PaygoDbContext>();
        new PostgresEngine().Configure(options, "Host=localhost;Database=paygo_design");
        return new PaygoDbContext(options.Options);
    }
}
