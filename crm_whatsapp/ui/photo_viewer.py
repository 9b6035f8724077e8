"""The photo viewer: a received picture, zoomable, saved only where the attendant chooses.

Like WhatsApp Web's: it opens fitted to the window but never blown up (a
small picture shows at its real size), the wheel and Ctrl+plus/minus zoom,
Ctrl+0 fits again, Esc or the close button close it. The picture comes
from memory (the cache on disk is sealed): "Salvar como…" asks the window
to write the decrypted bytes where the attendant says, nowhere else.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QPixmap, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_whatsapp.ui.resources import icon

ZOOM_STEP = 1.25
ZOOM_MIN, ZOOM_MAX = 0.05, 8.0
START_SIZE = QSize(1000, 760)  # the window at first; the picture fits inside it


def fit_zoom(picture: QSize, room: QSize) -> float:
    """The zoom that shows all of ``picture`` in ``room``, never above real size (1.0)."""
    if picture.isEmpty() or room.isEmpty():
        return 1.0
    return min(1.0, room.width() / picture.width(), room.height() / picture.height())


class PhotoViewer(QDialog):
    """One picture, zoomable; ``save_requested`` asks for "Salvar como…"."""

    save_requested = Signal()

    def __init__(self, data: bytes, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("photoViewer")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._pixmap = QPixmap()
        self._pixmap.loadFromData(data)
        self.zoom = 1.0

        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea(self)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll.setWidget(self.picture)
        self.scroll.viewport().installEventFilter(self)

        self.zoom_out = QToolButton(self)
        self.zoom_out.setText("−")
        self.zoom_out.clicked.connect(lambda: self.zoom_by(1 / ZOOM_STEP))
        self.zoom_in = QToolButton(self)
        self.zoom_in.setText("+")
        self.zoom_in.clicked.connect(lambda: self.zoom_by(ZOOM_STEP))
        self.zoom_label = QLabel(self)
        self.fit_button = QPushButton(self)
        self.fit_button.clicked.connect(self.fit)
        self.real_button = QPushButton("100%", self)
        self.real_button.clicked.connect(lambda: self.set_zoom(1.0))
        self.save_button = QPushButton(self)
        self.save_button.setIcon(icon("download"))
        self.save_button.clicked.connect(self.save_requested)
        self.close_button = QToolButton(self)
        self.close_button.setIcon(icon("close"))
        self.close_button.clicked.connect(self.close)
        for button in (self.fit_button, self.real_button, self.save_button):
            button.setAutoDefault(False)  # Enter does nothing here; no button looks pressed
        bar = QHBoxLayout()
        for widget in (self.zoom_out, self.zoom_label, self.zoom_in, self.fit_button):
            bar.addWidget(widget)
        bar.addWidget(self.real_button)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)

        for keys, slot in (
            (QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_by(ZOOM_STEP)),
            ("Ctrl+=", lambda: self.zoom_by(ZOOM_STEP)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_by(1 / ZOOM_STEP)),
            ("Ctrl+0", self.fit),
            (QKeySequence.StandardKey.Save, self.save_requested.emit),
        ):
            QShortcut(QKeySequence(keys), self).activated.connect(slot)
        self.retranslate()
        self.resize(START_SIZE)
        self.set_zoom(fit_zoom(self._pixmap.size(), self._room(START_SIZE)))

    def retranslate(self) -> None:
        self.zoom_out.setToolTip(self.tr("Diminuir (Ctrl+−)"))
        self.zoom_in.setToolTip(self.tr("Aumentar (Ctrl++)"))
        self.fit_button.setText(self.tr("Ajustar"))
        self.fit_button.setToolTip(self.tr("Ajustar à janela (Ctrl+0)"))
        self.real_button.setToolTip(self.tr("Tamanho real"))
        self.save_button.setText(self.tr("Salvar como…"))
        self.close_button.setToolTip(self.tr("Fechar (Esc)"))

    def pixmap(self) -> QPixmap:
        """The picture at its real size (what "Salvar como…" writes is the original bytes)."""
        return self._pixmap

    def shown_size(self) -> QSize:
        """The size the picture is drawn at now."""
        return self.picture.pixmap().size() if not self.picture.pixmap().isNull() else QSize()

    def _room(self, window: QSize) -> QSize:
        """Where the picture fits in a window of ``window``: less the bar and margins."""
        return QSize(window.width() - 16, window.height() - 60)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(ZOOM_MIN, min(ZOOM_MAX, zoom))
        if self._pixmap.isNull():
            return
        size = self._pixmap.size() * self.zoom
        mode = (
            Qt.TransformationMode.FastTransformation
            if self.zoom >= 2
            else Qt.TransformationMode.SmoothTransformation
        )
        self.picture.setPixmap(self._pixmap.scaled(size, Qt.AspectRatioMode.KeepAspectRatio, mode))
        self.picture.resize(self.picture.pixmap().size())
        self.zoom_label.setText(f"{round(self.zoom * 100)}%")

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom * factor)

    def fit(self) -> None:
        self.set_zoom(fit_zoom(self._pixmap.size(), self.scroll.viewport().size()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll.viewport() and isinstance(event, QWheelEvent):
            steps = event.angleDelta().y() / 120
            if steps:
                self.zoom_by(ZOOM_STEP**steps)
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
