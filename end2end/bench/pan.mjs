// Frames per second while a wheel event pans the board every animation frame.
export function panFps(page, ms) {
  return page.evaluate((ms) => new Promise((resolve) => {
    const canvas = document.querySelector('.canvas');
    let frames = 0; let dir = 1; const start = performance.now();
    const tick = (now) => {
      frames++;
      if (frames % 60 === 0) dir = -dir;
      canvas.dispatchEvent(new WheelEvent('wheel', { deltaX: 9 * dir, deltaY: 6 * dir, bubbles: true, cancelable: true }));
      if (now - start < ms) requestAnimationFrame(tick); else resolve(frames / ((now - start) / 1000));
    };
    requestAnimationFrame(tick);
  }), ms);
}
