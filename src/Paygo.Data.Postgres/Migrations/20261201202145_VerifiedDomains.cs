using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Postgres.Migrations
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
                    Domain = table.Column<string>(type: "character varying(253)", maxLength: 253, nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
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
            // until the operator decides (docs/adr/0015).
            migrationBuilder.Sql("""
                INSERT INTO "VerifiedDomains" ("Domain", "PartnerId", "CreatedAt")
                SELECT d."Domain", (array_agg(d."PartnerId"))[1], now()
                FROM (SELECT lower(substring("NormalizedEmail" from position('@' in "NormalizedEmail") + 1)) AS "Domain", "PartnerId"
                      FROM "Users" WHERE position('@' in "NormalizedEmail") > 0) d
                WHERE length(d."Domain") BETWEEN 1 AND 253
                GROUP BY d."Domain"
                HAVING COUNT(DISTINCT COALESCE(d."PartnerId"::text, 'operator')) = 1;
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
