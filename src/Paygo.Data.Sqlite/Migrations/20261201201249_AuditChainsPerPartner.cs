using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class AuditChainsPerPartner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_AuditRecords",
                table: "AuditRecords");

            migrationBuilder.AddColumn<string>(
                name: "Chain",
                table: "AuditRecords",
                type: "TEXT",
                maxLength: 36,
                nullable: false,
                // Records written before chains were per partner stay in the one instance chain,
                // which is the operator's chain from now on (docs/adr/0009).
                defaultValue: "operator");

            migrationBuilder.AddPrimaryKey(
                name: "PK_AuditRecords",
                table: "AuditRecords",
                columns: new[] { "Chain", "Sequence" });

            migrationBuilder.CreateTable(
                name: "AuditChainHeads",
                columns: table => new
                {
                    Chain = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    Sequence = table.Column<long>(type: "INTEGER", nullable: false),
                    Hash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AuditChainHeads", x => x.Chain);
                });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AuditChainHeads");

            migrationBuilder.DropPrimaryKey(
                name: "PK_AuditRecords",
                table: "AuditRecords");

            migrationBuilder.DropColumn(
                name: "Chain",
                table: "AuditRecords");

            migrationBuilder.AddPrimaryKey(
                name: "PK_AuditRecords",
                table: "AuditRecords",
                column: "Sequence");
        }
    }
}
