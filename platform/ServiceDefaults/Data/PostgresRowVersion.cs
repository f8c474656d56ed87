using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Mep.ServiceDefaults.Data;

public static class PostgresRowVersion
{
    /// <summary>
    /// Maps a <c>uint</c> property to PostgreSQL's system column xmin, which changes on every update of
    /// the row: an optimistic-concurrency token for free, exposed to clients as ETag.
    /// </summary>
    public static PropertyBuilder<uint> IsPostgresRowVersion(this PropertyBuilder<uint> property) =>
        property.HasColumnName("xmin").HasColumnType("xid").ValueGeneratedOnAddOrUpdate().IsConcurrencyToken();
}
