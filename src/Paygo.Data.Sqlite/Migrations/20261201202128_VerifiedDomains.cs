using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class VerifiedDomains : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "VerifiedDomains",
                columns: table => new
                {
                    Domain = table.Column<string>(type: "TEXT", maxLength: 253, nullable: false),
                    PartnerId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_VerifiedDomains", x => x.Domain);
                });

            migrationBuilder.CreateIndex(
                name: "IX_VerifiedDomains_PartnerId",
                table: "VerifiedDomains",
                column: "PartnerId");

            // Existing instances keep working: a domain that the users of exactly one organisation
            // are under becomes that organisation's; a domain shared by several stays unverified
            // until the operator decides (docs/adr/0015). CreatedAt is in UTC ticks on SQLite.
            migrationBuilder.Sql("""
                INSERT INTO "VerifiedDomains" ("Domain", "PartnerId", "CreatedAt")
                SELECT d."Domain", MAX(d."PartnerId"), CAST(strftime('%s', 'now') AS INTEGER) * 10000000 + 621355968000000000
                FROM (SELECT lower(substr("NormalizedEmail", instr("NormalizedEmail", '@') + 1)) AS "Domain", "PartnerId"
                      FROM "Users" WHERE instr("NormalizedEmail", '@') > 0) d
                WHERE length(d."Domain") BETWEEN 1 AND 253
                GROUP BY d."Domain"
                HAVING COUNT(DISTINCT COALESCE(d."PartnerId", 'operator')) = 1;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "VerifiedDomains");
        }
    }
}
