# ParaView's own check of a run folder (issue 10): open disc.pvd as a user would, and require a
# multiblock with both blocks, the disc and the events, at the first and at the last time step,
# and a colour legend that names the unit of the stress it shows.
# Run with Debian's ParaView under a virtual display:
#     xvfb-run -a pvpython tests/paraview/open_run.py RUN_FOLDER
import sys

from paraview.simple import (ColorBy, CreateView, GetColorTransferFunction, GetScalarBar,
                             OpenDataFile, Show, UpdatePipeline, servermanager)

folder = sys.argv[1]


def first_leaf(block):
    """The first dataset inside a (possibly nested) multiblock."""
    while block is not None and block.IsA("vtkMultiBlockDataSet"):
        block = block.GetBlock(0) if block.GetNumberOfBlocks() else None
    return block


reader = OpenDataFile(folder + "/disc.pvd")
times = list(reader.TimestepValues) if reader.TimestepValues else [0.0]
for t in (times[0], times[-1]):
    UpdatePipeline(time=t, proxy=reader)
    data = servermanager.Fetch(reader)
    if data.GetClassName() not in ("vtkMultiBlockDataSet", "vtkPartitionedDataSetCollection"):
        sys.exit("at time %g: expected a multiblock, got %s" % (t, data.GetClassName()))
    blocks = data.GetNumberOfBlocks() if hasattr(data, "GetNumberOfBlocks") else data.GetNumberOfPartitionedDataSets()
    if blocks != 2:
        sys.exit("at time %g: expected 2 blocks (disc, events), got %d" % (t, blocks))
    disc = data.GetBlock(0)
    if disc is None or disc.GetNumberOfCells() == 0:
        sys.exit("at time %g: the disc block is empty" % t)
    leaf = first_leaf(disc)
    if leaf is None or leaf.GetCellData().GetArray("von_mises_MPa") is None:
        sys.exit("at time %g: the disc block has no von_mises_MPa cell array" % t)
# Colour by the von Mises stress as a user would: the legend's title is the array's name, which
# carries the unit (docs/cli.md).
view = CreateView("RenderView")
display = Show(reader, view)
ColorBy(display, ("CELLS", "von_mises_MPa"))
display.SetScalarBarVisibility(view, True)
title = GetScalarBar(GetColorTransferFunction("von_mises_MPa"), view).Title
if "MPa" not in title:
    sys.exit("the colour legend of the von Mises stress reads %r, without its unit" % title)
print("legend: %s" % title)
print("ParaView opened %s: %d time steps, 2 blocks at the first and last" % (folder, len(times)))
