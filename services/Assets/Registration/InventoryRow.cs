using Mep.Assets.Devices;
using Mep.Assets.Rooms;
using Mep.SchoolDirectory;

namespace Mep.Assets.Registration;

/// <summary>A row of a school's inventory export: the device, and its school and room (if it has one) as the directory knows them.</summary>
public sealed record InventoryRow(Device Device, KnownSchool School, KnownRoom? Room);
