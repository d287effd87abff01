package aedat

// Camera selects the AEDAT 2.0 address layout (the jAER AEChip class).
type Camera int

// Camera values.
const (
	CameraAuto Camera = iota // from the "# AEChip:" header line
	DVS128                   // 128 x 128, ch.unizh.ini.jaer.chip.retina.DVS128
	DAVIS240                 // 240 x 180, eu.seebetter.ini.chips.davis.DAVIS240*
	DAVIS346                 // 346 x 260, eu.seebetter.ini.chips.davis.Davis346*
	DAVIS640                 // 640 x 480, eu.seebetter.ini.chips.davis.Davis640
)
