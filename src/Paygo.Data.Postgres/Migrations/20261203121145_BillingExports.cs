using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Paygo.Data.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class BillingExports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BillingExportBlobs",
                columns: table => new
                {
                    ManifestId = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    PartitionValue = table.Column<int>(type: "integer", nullable: false),
                    SizeInBytes = table.Column<long>(type: "bigint", nullable: false),
                    LineCount = table.Column<long>(type: "bigint", nullable: false),
                    Content = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BillingExportBlobs", x => new { x.ManifestId, x.Name });
                });

            migrationBuilder.CreateTable(
                name: "BillingExports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PartnerId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Fragment = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    InvoiceNumber = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    Month = table.Column<string>(type: "character varying(7)", maxLength: 7, nullable: true),
                    Currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: true),
                    Status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastActionAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ErrorCode = table.Column<int>(type: "integer", nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    ManifestId = table.Column<Guid>(type: "uuid", nullable: true),
                    BlobCount = table.Column<int>(type: "integer", nullable: false),
                    SizeInBytes = table.Column<long>(type: "bigint", nullable: false),
                    LineCount = table.Column<long>(type: "bigint", nullable: false),
                    ETag = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BillingExports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BillingExports_ExpiresAt",
                table: "BillingExports",
                column: "ExpiresAt");

            migrationBuilder.CreateIndex(
                name: "IX_BillingExports_ManifestId",
                table: "BillingExports",
                column: "ManifestId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_BillingExports_Status_CreatedAt",
                table: "BillingExports",
                columns: new[] { "Status", "CreatedAt" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BillingExportBlobs");

            migrationBuilder.DropTable(
                name: "BillingExports");
        }
    }
}
