using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
namespace Mep.Staffing.Counts;

/// <summary>A school's devices in use per category, as <see cref="InventoryReplica"/> last recomputed them.</summary>
public sealed class SchoolCounts : CountedDevices
{
    public Guid SchoolId { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
}

/// <summary>A row's count columns, one per <see cref="CountCategory"/> (<see cref="CountColumns"/>): live counts and snapshots alike.</summary>
public abstract class CountedDevices
{
    public int PupilTablets { get; private set; }
    public int TeacherTablets { get; private set; }
    public int LoanTablets { get; private set; }
    public int ClassSetTablets { get; private set; }
    public int ComputerRoomDevices { get; private set; }
    public int BoardSystems { get; private set; }
    public int BoardSystemComponents { get; private set; }
    public int NetworkDevices { get; private set; }
}

internal sealed class SchoolCountsConfiguration : IEntityTypeConfiguration<SchoolCounts>
{
    public void Configure(EntityTypeBuilder<SchoolCounts> counts)
    {
        counts.ToTable("school_counts");
        counts.HasKey(c => c.SchoolId);
    }
}
