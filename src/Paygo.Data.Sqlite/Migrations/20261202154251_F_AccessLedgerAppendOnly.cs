using Microsoft.EntityFrameworkCore.Migrations;
using Paygo.Core.Access;

#nullable disable

namespace Paygo.Data.Sqlite.Migrations
{
    /// <summary>
    /// The access ledger becomes append-only in the database itself (docs/adr/0038): triggers refuse
    /// deleting access records and changing them, except an open assignment's end, set once. No model
    /// change: the SQL is AccessLedgerSql's, so a regenerated model migration keeps this one as it is.
    /// </summary>
    public partial class F_AccessLedgerAppendOnly : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AccessLedgerSql.SqliteCreate);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(AccessLedgerSql.SqliteDrop);
        }
    }
}
